import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { CwmpFaultError } from '../../main/core/cwmp'
import { informXml, ManualCpe, startAcs, type TestAcs } from './helpers'

let acs: TestAcs | undefined
const cpes: ManualCpe[] = []
afterEach(async () => {
  for (const c of cpes.splice(0)) c.close()
  await acs?.close()
  acs = undefined
})

async function inSession(serial: string): Promise<ManualCpe> {
  const cpe = new ManualCpe(acs!.url)
  cpes.push(cpe)
  await cpe.post(informXml({ serial }))
  return cpe
}

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/'

/** A POST with a chunked body (no Content-Length), on the CPE's own connection and cookie. */
function chunkedPost(cpe: ManualCpe, contentType: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(cpe.url, {
      method: 'POST',
      agent: cpe.agent,
      headers: { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked', Cookie: cpe.cookie ?? '' },
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('what real CPE stacks send that is not quite by the book', () => {
  it('reads xsi:type written without a prefix, with an undeclared prefix, or as a SOAP-ENC type', async () => {
    acs = await startAcs()
    const cpe = await inSession('TYPES')
    const names = ['A.Count', 'A.Enable', 'A.Name', 'A.Vendor']
    const gpv = acs.bench.acs.execute('TYPES', { method: 'GetParameterValues', parameterNames: ['A.'] })
    const sent = await cpe.post(null)
    const value = (name: string, type: string, v: string) =>
      `<ParameterValueStruct><Name>${name}</Name><Value xsi:type="${type}">${v}</Value></ParameterValueStruct>`
    // xsd is never declared here; the list is declared as the default namespace's, as some stacks do.
    const reply = await cpe.post(
      `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP}" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        `<SOAP-ENV:Header><cwmp:ID xmlns:cwmp="urn:dslforum-org:cwmp-1-0" SOAP-ENV:mustUnderstand="1">${sent.envelope?.header.id}</cwmp:ID></SOAP-ENV:Header>` +
        '<SOAP-ENV:Body><GetParameterValuesResponse xmlns="urn:dslforum-org:cwmp-1-0"><ParameterList>' +
        value('A.Count', 'unsignedInt', '7') +
        value('A.Enable', 'xsd:boolean', '1') +
        value('A.Name', 'SOAP-ENC:string', 'x') +
        value('A.Vendor', 'vendor:Thing', 'y') +
        '</ParameterList></GetParameterValuesResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    )
    expect(reply.status).toBe(204)
    const result = await gpv
    expect(result.parameterList.map((p) => p.type)).toEqual([
      'xsd:unsignedInt',
      'xsd:boolean',
      'xsd:string',
      'vendor:Thing',
    ])
    expect(names.map((n) => acs!.bench.store.parameters.get('TYPES', n)?.type)).toEqual([
      'xsd:unsignedInt',
      'xsd:boolean',
      'xsd:string',
      'vendor:Thing',
    ])
  })

  it('takes a plain SOAP fault from a stack that declares no CWMP namespace as the answer to the RPC', async () => {
    acs = await startAcs()
    const cpe = await inSession('BARE')
    const rpc = acs.bench.acs
      .execute('BARE', { method: 'GetParameterValues', parameterNames: ['X.'] }, { timeoutMs: 20_000 })
      .catch((e: unknown) => e)
    const next = acs.bench.acs.execute('BARE', { method: 'GetRPCMethods' })
    await cpe.post(null)
    const reply = await cpe.post(
      `<soap:Envelope xmlns:soap="${SOAP}"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode>` +
        '<faultstring>Invalid parameter name</faultstring></soap:Fault></soap:Body></soap:Envelope>',
    )
    // The session goes on with the next RPC, in the session's namespace.
    expect(reply.status).toBe(200)
    expect(reply.envelope?.body).toEqual({ method: 'GetRPCMethods' })
    const error = await rpc
    expect(error).toBeInstanceOf(CwmpFaultError)
    expect((error as CwmpFaultError).fault.faultString).toBe('Invalid parameter name')
    await cpe.post({ method: 'GetRPCMethodsResponse', methodList: [] }, reply.envelope?.header.id)
    await expect(next).resolves.toEqual({ method: 'GetRPCMethodsResponse', methodList: [] })
  })

  it('takes an empty POST sent chunked under a form Content-Type, and still refuses a chunked body that is not XML', async () => {
    acs = await startAcs()
    const cpe = await inSession('CHUNKED')
    expect(await chunkedPost(cpe, 'application/json', '{"not":"cwmp"}')).toBe(415)
    expect(await chunkedPost(cpe, 'application/x-www-form-urlencoded', '')).toBe(204)
    expect(acs.bench.acs.inSession('CHUNKED')).toBe(false)
  })
})
