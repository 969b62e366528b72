import { describe, expect, it } from 'vitest'
import { decodeEnvelope, decodeGeneric, encodeEnvelope, readRawRequest, RawRequestError } from '../../main/core/cwmp'

// Requests written by hand (send_cwmp_message): what goes on the wire, and how answers read.

describe('raw requests', () => {
  it('keep the RPC as written and mean the same inside the ACS envelope, whatever prefixes either uses', () => {
    const xml =
      '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-2" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:d="http://www.w3.org/2001/XMLSchema">' +
      '<S:Header><c:ID S:mustUnderstand="1">theirs</c:ID></S:Header><S:Body>' +
      '<c:SetParameterValues><ParameterList><ParameterValueStruct><Name>A.B</Name><Value i:type="d:int">7 &amp; &lt;8&gt;</Value></ParameterValueStruct></ParameterList><ParameterKey>k</ParameterKey></c:SetParameterValues>' +
      '</S:Body></S:Envelope>'
    const raw = readRawRequest(xml, 1 << 20)
    expect(raw).toMatchObject({ method: 'Raw', name: 'SetParameterValues', typed: { method: 'SetParameterValues' } })
    const sent = encodeEnvelope('cwmp-1-0', { id: 'ours', holdRequests: true }, raw)
    const read = decodeEnvelope(sent)
    // The CPE reads the same request, with its xsi:type resolved through the user's prefixes…
    expect(read.body).toEqual({
      method: 'SetParameterValues',
      parameterList: [{ name: 'A.B', value: '7 & <8>', type: 'xsd:int' }],
      parameterKey: 'k',
    })
    // …in the user's namespace, with the ACS's header only.
    expect(read.version).toBe('cwmp-1-2')
    expect(read.header).toEqual({ id: 'ours', holdRequests: true })
    expect(sent).not.toContain('theirs')
  })

  it('refuse mixed content, and everything but one request for a CPE', () => {
    const env = (rpc: string) =>
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Body>${rpc}</soap:Body></soap:Envelope>`
    expect(() => readRawRequest(env('<cwmp:X_A_B>text<Arg/></cwmp:X_A_B>'), 1 << 20)).toThrow(
      new RawRequestError('<cwmp:X_A_B> mixes text and elements; a CWMP argument holds one or the other'),
    )
    expect(() => readRawRequest(env('<cwmp:Inform/>'), 1 << 20)).toThrow(/a request a CPE sends/)
    expect(() => readRawRequest(env('<cwmp:Reboot/>'), 100)).toThrow(/exceeds the 100-byte limit/)
    expect(readRawRequest(env('<cwmp:X_A_B><Arg>1</Arg></cwmp:X_A_B>'), 1 << 20)).toEqual({
      method: 'Raw',
      name: 'X_A_B',
      xml: '<cwmp:X_A_B xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><Arg>1</Arg></cwmp:X_A_B>',
    })
  })

  it('answers read generically: text, tables by name, repeated names and SOAP arrays as lists', () => {
    const answer = encodeEnvelope(
      'cwmp-1-0',
      { id: '1' },
      {
        method: 'GetParameterNamesResponse',
        parameterList: [{ name: 'A.', writable: false }],
      },
    )
    expect(decodeGeneric(answer)).toEqual({ ParameterList: [{ Name: 'A.', Writable: '0' }] })
    const vendor =
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-0"><e:Body><c:X_A_BResponse><R>1</R><R>2</R><Deep><X>y</X></Deep></c:X_A_BResponse></e:Body></e:Envelope>'
    const read = decodeGeneric(vendor)
    expect({ ...read }).toEqual({ R: ['1', '2'], Deep: { X: 'y' } })
    expect(decodeGeneric(encodeEnvelope('cwmp-1-0', {}, { method: 'RebootResponse' }))).toEqual({})
  })
})
