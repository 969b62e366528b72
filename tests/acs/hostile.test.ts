import { connect } from 'node:net'
import { deflateRawSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEnvelope } from '../../main/core/cwmp'
import { httpPost, informXml, ManualCpe, stalledUpload, startAcs, storeHealth, until, type TestAcs } from './helpers'

// The hostile corpus: every entry gets a clear answer (status code, or SOAP fault code), the
// process stays up (a normal session succeeds after each), and the store holds nothing it should not.

const ENV = 'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"'
const VALID = informXml({ serial: 'GOOD' })
const MAX = 1024 * 1024

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;">]>
<soap:Envelope ${ENV}><soap:Body><cwmp:Inform>&lol9;</cwmp:Inform></soap:Body></soap:Envelope>`

const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope ${ENV}><soap:Body><cwmp:Inform><DeviceId><SerialNumber>&xxe;</SerialNumber></DeviceId></cwmp:Inform></soap:Body></soap:Envelope>`

interface Case {
  name: string
  body: string | Buffer
  headers?: Record<string, string>
  method?: string
  status: number
  faultCode?: number
  kind?: 'security' | 'fault'
  /** Text the answer must contain, so a technician sees why. */
  says?: RegExp
}

/** An Inform whose SerialNumber is these bytes as they are (control characters, invalid UTF-8, references). */
function informWithSerialBytes(serial: string | Buffer): Buffer {
  const [before, after] = informXml({ serial: 'PLACEHOLDER' }).split('PLACEHOLDER') as [string, string]
  return Buffer.concat([Buffer.from(before), Buffer.from(serial), Buffer.from(after)])
}

function informWith(params: { name: string; value: string }[], events = ['1 BOOT']): string {
  return informXml({ serial: 'LIMITS', events, params: params.map((p) => ({ ...p, type: 'xsd:string' })) })
}

const IGD = 'InternetGatewayDevice.DeviceInfo.'

const CASES: Case[] = [
  { name: 'truncated XML', body: VALID.slice(0, VALID.length / 2), status: 400, kind: 'fault', says: /malformed XML/ },
  { name: 'garbage bytes', body: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x3c, 0x00, 0x9c]), status: 400, kind: 'fault' },
  { name: 'not XML at all', body: 'hello, ACS', status: 400, kind: 'fault' },
  { name: 'JSON with an XML content type', body: '{"method":"Inform"}', status: 400, kind: 'fault' },
  {
    name: 'SOAP 1.2 envelope namespace',
    body: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>`,
    status: 400,
    kind: 'fault',
    says: /namespace/,
  },
  {
    name: 'unsupported CWMP namespace',
    body: informXml({ serial: 'NS9' }).replace(/cwmp-1-0/g, 'cwmp-1-9'),
    status: 400,
    kind: 'fault',
    says: /unsupported CWMP namespace/,
  },
  {
    name: 'RPC element outside any namespace',
    body: `<soap:Envelope ${ENV}><soap:Header><cwmp:ID>n1</cwmp:ID></soap:Header><soap:Body><Inform/></soap:Body></soap:Envelope>`,
    status: 500,
    faultCode: 8003,
    kind: 'fault',
  },
  {
    name: 'Envelope without Body',
    body: `<soap:Envelope ${ENV}><soap:Header/></soap:Envelope>`,
    status: 400,
    kind: 'fault',
  },
  { name: 'root is not an Envelope', body: `<cwmp:Inform ${ENV}/>`, status: 400, kind: 'fault' },
  { name: 'billion laughs (DOCTYPE + entities)', body: billionLaughs, status: 400, kind: 'security', says: /DOCTYPE/ },
  { name: 'external entity (XXE)', body: xxe, status: 400, kind: 'security' },
  {
    name: 'ENTITY declaration without DOCTYPE keyword',
    body: `<!ENTITY x "y"><soap:Envelope ${ENV}><soap:Body/></soap:Envelope>`,
    status: 400,
    kind: 'security',
  },
  {
    name: 'nesting 10 000 deep',
    body: `<soap:Envelope ${ENV}><soap:Body>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</soap:Body></soap:Envelope>`,
    status: 400,
    kind: 'security',
  },
  {
    name: 'Inform without DeviceId',
    body: `<soap:Envelope ${ENV}><soap:Header><cwmp:ID>nodev</cwmp:ID></soap:Header><soap:Body><cwmp:Inform><Event/></cwmp:Inform></soap:Body></soap:Envelope>`,
    status: 500,
    faultCode: 8003,
    kind: 'fault',
  },
  {
    name: 'Inform with an empty SerialNumber',
    body: informXml({ serial: '   ' }),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
  },
  {
    name: 'Inform with a 100 000-character SerialNumber',
    body: informXml({ serial: 'S'.repeat(100_000) }),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
  },
  {
    name: 'HoldRequests that is not a boolean',
    body: VALID.replace(
      '<cwmp:ID soap-env:mustUnderstand="1">inform-1</cwmp:ID>',
      '<cwmp:ID>inform-1</cwmp:ID><cwmp:HoldRequests>maybe</cwmp:HoldRequests>',
    ),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
  },
  {
    name: 'wrong Content-Type',
    body: VALID,
    headers: { 'Content-Type': 'application/json' },
    status: 415,
    kind: 'fault',
  },
  {
    name: 'multipart upload',
    body: VALID,
    headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
    status: 415,
    kind: 'fault',
  },
  {
    name: 'unsupported Content-Encoding',
    body: VALID,
    headers: { 'Content-Encoding': 'br' },
    status: 415,
    kind: 'fault',
  },
  {
    name: 'corrupt gzip',
    body: Buffer.from('1f8b0800000000000003ffffffff', 'hex'),
    headers: { 'Content-Encoding': 'gzip' },
    status: 400,
    kind: 'fault',
  },
  {
    name: 'truncated gzip',
    body: gzipSync(VALID).subarray(0, 40),
    headers: { 'Content-Encoding': 'gzip' },
    status: 400,
    kind: 'fault',
  },
  {
    name: 'gzip bomb (64 KB on the wire, 64 MB inflated)',
    body: gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 }),
    headers: { 'Content-Encoding': 'gzip' },
    status: 413,
    kind: 'security',
    says: /inflated body/,
  },
  {
    name: 'raw-deflate bomb',
    body: deflateRawSync(Buffer.alloc(16 * 1024 * 1024, 0x41)),
    headers: { 'Content-Encoding': 'deflate' },
    status: 413,
    kind: 'security',
  },
  {
    name: 'malformed XML large enough to be parsed in the worker',
    body: `<soap:Envelope ${ENV}><soap:Body><cwmp:Inform>${'<a>x</a>'.repeat(20_000)}</soap:Body>`,
    status: 400,
    kind: 'fault',
    says: /malformed XML/,
  },
  {
    name: 'Inform without DeviceId large enough to be parsed in the worker',
    body: `<soap:Envelope ${ENV}><soap:Header><cwmp:ID>big</cwmp:ID></soap:Header><soap:Body><cwmp:Inform><Event/>${'<Junk>x</Junk>'.repeat(10_000)}</cwmp:Inform></soap:Body></soap:Envelope>`,
    status: 500,
    faultCode: 8003,
    kind: 'fault',
  },
  { name: '50 MB body', body: Buffer.alloc(50 * 1024 * 1024, 0x3c), status: 413, kind: 'security' },
  { name: 'GET instead of POST', body: '', method: 'GET', status: 405 },
  { name: 'empty POST before any Inform', body: '', status: 400, kind: 'fault' },
  {
    name: 'a response before any Inform',
    body: `<soap:Envelope ${ENV}><soap:Body><cwmp:RebootResponse/></soap:Body></soap:Envelope>`,
    status: 400,
    kind: 'fault',
  },
]

/**
 * CPE-supplied strings: too long for TR-069, with characters XML forbids, or not UTF-8. Each is
 * refused with a SOAP fault that names the field, and nothing of it is stored. (A second ACS:
 * the problem log takes 30 reports per address and minute.)
 */
const STRING_CASES: Case[] = [
  {
    name: 'Inform with a 200 000-character parameter value',
    body: informWith([{ name: `${IGD}ProvisioningCode`, value: 'v'.repeat(200_000) }]),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /Value of InternetGatewayDevice\.DeviceInfo\.ProvisioningCode is 200000 characters long; at most 16384/,
  },
  {
    name: 'Inform with a 257-character parameter name',
    body: informWith([{ name: `${IGD}${'N'.repeat(257 - IGD.length)}`, value: '1' }]),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /ParameterValueStruct\/Name is 257 characters long; at most 256/,
  },
  {
    name: 'Inform with a 7-character OUI',
    body: informXml({ serial: 'OUI7' }).replace('<OUI>00D09E</OUI>', '<OUI>00D09E0</OUI>'),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /DeviceId\/OUI is 7 characters long; at most 6/,
  },
  {
    name: 'Inform with a 65-character EventCode',
    body: informWith([], ['E'.repeat(65)]),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /EventStruct\/EventCode is 65 characters long; at most 64/,
  },
  {
    name: 'Inform with a 33-character CommandKey',
    body: informXml({ serial: 'CK33' }).replace(
      '<CommandKey></CommandKey>',
      `<CommandKey>${'k'.repeat(33)}</CommandKey>`,
    ),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /EventStruct\/CommandKey is 33 characters long; at most 32/,
  },
  // Characters XML 1.0 forbids, which would reach terminals as control sequences.
  {
    name: 'SerialNumber with a raw ESC sequence',
    body: informWithSerialBytes('SN\x1b[2J\x1b]0;pwned\x07'),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /character U\+001B is not allowed in XML 1\.0/,
  },
  {
    name: 'SerialNumber with ESC as a character reference (&#x1b;)',
    body: informWithSerialBytes('SN&#x1b;[2J'),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /&amp;#x1b; in &lt;SerialNumber&gt;: character U\+001B is not allowed/,
  },
  {
    name: 'Manufacturer with BEL as a decimal reference (&#7;)',
    body: informXml({ serial: 'BEL' }).replace(
      '<Manufacturer>ACME</Manufacturer>',
      '<Manufacturer>AC&#7;ME</Manufacturer>',
    ),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /U\+0007/,
  },
  {
    name: 'SerialNumber with a NUL byte',
    body: informWithSerialBytes('SN\x00NUL'),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /U\+0000/,
  },
  // Invalid UTF-8 would become U+FFFD: two different serials would be one device.
  {
    name: 'SerialNumber with invalid UTF-8 (0xFF)',
    body: informWithSerialBytes(Buffer.from([0x53, 0x4e, 0xff, 0x31])),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /not valid UTF-8 \(at byte \d+\)/,
  },
  {
    name: 'SerialNumber with invalid UTF-8 (0xFE), otherwise the same',
    body: informWithSerialBytes(Buffer.from([0x53, 0x4e, 0xfe, 0x31])),
    status: 500,
    faultCode: 8003,
    kind: 'fault',
    says: /not valid UTF-8/,
  },
]

let acs: TestAcs

beforeAll(async () => {
  acs = await startAcs({ cwmp: { maxBodyBytes: MAX } })
})
afterAll(async () => {
  await acs.close()
})

async function normalSessionWorks(serial: string, on: TestAcs = acs): Promise<void> {
  const cpe = new ManualCpe(on.url)
  try {
    expect((await cpe.post(informXml({ serial }))).status).toBe(200)
    expect((await cpe.post(null)).status).toBe(204)
  } finally {
    cpe.close()
  }
}

/** The answer is the expected status (and fault), it is logged as c.kind, and a normal session follows. */
async function expectAnswer(on: TestAcs, c: Case): Promise<void> {
  const before = on.bench.store.events.maxSeq()
  const reply = await httpPost(on.url, c.body, { 'Content-Type': 'text/xml', ...c.headers }, false, c.method)
  expect(reply.status).toBe(c.status)
  if (c.faultCode !== undefined) {
    const fault = decodeEnvelope(reply.text)
    expect(fault.body).toMatchObject({ method: 'Fault', faultCode: c.faultCode })
  }
  if (c.says) expect(reply.text).toMatch(c.says)
  if (c.kind) {
    const logged = on.bench.store.events.query({ afterSeq: before })
    expect(logged.map((e) => e.kind)).toContain(c.kind)
    const problem = logged.find((e) => e.kind === c.kind)!
    const body = on.bench.store.events.soap(problem.seq)?.soapIn ?? ''
    expect(body.length).toBeLessThanOrEqual(4096)
  }
  await normalSessionWorks('GOOD', on)
}

describe('hostile and malformed input', () => {
  it.each(CASES)('$name → $status', (c) => expectAnswer(acs, c))

  it('answers fault 8003 in the CPE namespace, echoing its ID, for an Inform without DeviceId', async () => {
    const body = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap:Header><cwmp:ID> x&amp;y </cwmp:ID></soap:Header><soap:Body><cwmp:Inform/></soap:Body></soap:Envelope>`
    const reply = decodeEnvelope((await httpPost(acs.url, body, { 'Content-Type': 'text/xml' })).text)
    expect(reply.version).toBe('cwmp-1-2')
    expect(reply.header.id).toBe(' x&y ')
    expect(reply.body).toMatchObject({ method: 'Fault', faultCode: 8003, faultString: 'Inform is missing <DeviceId>' })
  })

  it('accepts an Inform without a SOAP Header (the ID is optional) and answers without one', async () => {
    const reply = await httpPost(acs.url, informXml({ serial: 'NOID', id: null }), { 'Content-Type': 'text/xml' })
    expect(reply.status).toBe(200)
    const envelope = decodeEnvelope(reply.text)
    expect(envelope.header.id).toBeUndefined()
    expect(envelope.body).toMatchObject({ method: 'InformResponse' })
  })

  it('answers malformed HTTP with 400 and keeps serving', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(acs.port, '127.0.0.1', () => socket.write('BREW /pot HTCPCP/1.0\r\n\r\n'))
      let data = ''
      socket.on('data', (d) => (data += d.toString()))
      socket.on('close', () => resolve(data))
      socket.on('error', reject)
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
    await normalSessionWorks('GOOD')
  })

  it('accepts gzip- and deflate-encoded CPE messages', async () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync(informXml({ serial: 'ZIP' }))],
      ['deflate', deflateRawSync(informXml({ serial: 'ZIP' }))],
    ] as const) {
      const reply = await httpPost(acs.url, body, { 'Content-Type': 'text/xml', 'Content-Encoding': encoding })
      expect(reply.status).toBe(200)
    }
  })

  it('leaves the store intact with only the expected rows', () => {
    const health = storeHealth(acs.bench)
    expect(health.integrity).toBe('ok')
    expect(acs.bench.store.devices.list().map((d) => d.serial)).toEqual(['GOOD', 'NOID', 'ZIP'])
    const informs = acs.bench.store.outbox.after(0, 100_000).filter((r) => r.topic === 'inform')
    // One per accepted Inform: each corpus case's follow-up session, NOID, and ZIP twice.
    expect(informs).toHaveLength(CASES.length + 1 + 1 + 2)
    expect(acs.bench.store.parameters.count('NS9')).toBe(0)
    expect(
      acs.bench.store.db
        .prepare('SELECT COUNT(*) AS n FROM parameters WHERE serial NOT IN (SELECT serial FROM devices)')
        .get(),
    ).toEqual({ n: 0 })
  })
})

async function sessionWorksOn(t: TestAcs): Promise<void> {
  const cpe = new ManualCpe(t.url)
  try {
    expect((await cpe.post(informXml({ serial: 'LANGOOD' }))).status).toBe(200)
    expect((await cpe.post(null)).status).toBe(204)
  } finally {
    cpe.close()
  }
}

describe('hostile hosts on the bench LAN', () => {
  let lan: TestAcs
  beforeAll(async () => {
    lan = await startAcs({
      cwmp: { maxBodyBytes: MAX, bodyIdleTimeoutMs: 300, maxPendingBodies: 3, maxBufferedBytes: 256 * 1024 },
    })
  })
  afterAll(async () => {
    await lan.close()
  })

  it('cuts an upload that stops arriving with 408 and closes the connection', async () => {
    const before = lan.bench.store.events.maxSeq()
    const { reply } = stalledUpload(lan.port, 1_000_000, 64 * 1024)
    const answer = await reply
    expect(answer.status).toBe(408)
    expect(answer.head).toMatch(/\r\nConnection: close/i)
    const logged = lan.bench.store.events.query({ afterSeq: before, kinds: ['security'] })
    expect(logged[0]?.summary).toMatch(/no part of the body arrived for 300 ms/)
    await sessionWorksOn(lan)
  })

  it('refuses uploads past the number of bodies or bytes it holds at once with 503 and Retry-After', async () => {
    const idle = lan.bench.config.cwmp.bodyIdleTimeoutMs
    lan.bench.config.cwmp.bodyIdleTimeoutMs = 60_000
    const load = () => lan.bench.acs.bodyLoad()
    // Three bodies at most from outside a session: two stalled ones and one of 200 KB...
    const stalled = [stalledUpload(lan.port, 1_000_000, 1), stalledUpload(lan.port, 1_000_000, 1)]
    const held = stalledUpload(lan.port, 1_000_000, 200 * 1024)
    await until(() => load().pendingBodies === 3 && load().bufferedBytes >= 200 * 1024 + 2)
    // ...so a fourth is refused at once, before its body is read,
    const fourth = await httpPost(lan.url, informXml({ serial: 'FOURTH' }), { 'Content-Type': 'text/xml' })
    expect(fourth.status).toBe(503)
    expect(fourth.headers['retry-after']).toBe('5')
    for (const upload of stalled) upload.socket.destroy()
    await until(() => load().pendingBodies === 1)
    // ...and with 200 KB of the 256 KB budget taken, 100 KB more do not fit.
    const tooMuch = await httpPost(lan.url, Buffer.alloc(100 * 1024, 0x20), { 'Content-Type': 'text/xml' })
    expect(tooMuch.status).toBe(503)
    expect(tooMuch.headers['retry-after']).toBe('5')
    held.socket.destroy()
    await until(() => load().pendingBodies === 0 && load().bufferedBytes === 0)
    lan.bench.config.cwmp.bodyIdleTimeoutMs = idle
    // Everything held is given back: a normal session has the room again.
    await sessionWorksOn(lan)
    expect(lan.bench.store.devices.get('FOURTH')).toBeUndefined()
  })

  it('does not hand a CPE’s queued RPC to a cookie-less POST from the same address', async () => {
    const victim = new ManualCpe(lan.url)
    try {
      await victim.post(informXml({ serial: 'VICTIM' }))
      const key = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.1.KeyPassphrase'
      const spv = lan.bench.acs
        .execute('VICTIM', {
          method: 'SetParameterValues',
          parameterList: [{ name: key, value: 'wifi-secret', type: 'xsd:string' }],
          parameterKey: '',
        })
        .catch((e: unknown) => e)
      // Another program on the same host: no cookie, a connection of its own.
      const stranger = await httpPost(lan.url, '', { 'Content-Type': 'text/xml' })
      expect(stranger.status).toBe(400)
      expect(stranger.text).not.toContain('wifi-secret')
      const logged = lan.bench.store.events.query({ serial: 'VICTIM', kinds: ['security'] })
      expect(logged[0]?.summary).toMatch(/was not given to the session of VICTIM/)
      // The CPE itself still gets it.
      const sent = await victim.post(null)
      expect(sent.envelope?.body).toMatchObject({ method: 'SetParameterValues' })
      await victim.post({ method: 'SetParameterValuesResponse', status: 0 }, sent.envelope?.header.id)
      await expect(spv).resolves.toMatchObject({ status: 0 })
    } finally {
      victim.close()
    }
  })
})

describe('hostile CPE strings', () => {
  let strings: TestAcs
  beforeAll(async () => {
    strings = await startAcs({ cwmp: { maxBodyBytes: MAX } })
  })
  afterAll(async () => {
    await strings.close()
  })

  it.each(STRING_CASES)('$name → fault $faultCode', (c) => expectAnswer(strings, c))

  it('refuses an oversize TransferComplete and GetParameterValuesResponse inside a session with fault 8003', async () => {
    const cpe = new ManualCpe(strings.url)
    try {
      expect((await cpe.post(informXml({ serial: 'GOOD' }))).status).toBe(200)
      const transfer = await cpe.post(
        {
          method: 'TransferComplete',
          commandKey: 'k'.repeat(33),
          faultStruct: { faultCode: 0, faultString: '' },
          startTime: '2024-01-01T00:00:00Z',
          completeTime: '2024-01-01T00:00:01Z',
        },
        'tc-1',
      )
      expect(transfer.status).toBe(500)
      expect(transfer.envelope?.header.id).toBe('tc-1')
      expect(transfer.envelope?.body).toMatchObject({
        method: 'Fault',
        faultCode: 8003,
        faultString: 'TransferComplete: CommandKey is 33 characters long; at most 32 are allowed (TR-069)',
      })

      const name = 'InternetGatewayDevice.DeviceInfo.ProvisioningCode'
      const gpv = strings.bench.acs.execute('GOOD', { method: 'GetParameterValues', parameterNames: [name] })
      gpv.catch(() => {})
      const sent = await cpe.post(null)
      expect(sent.envelope?.body).toMatchObject({ method: 'GetParameterValues' })
      const answer = await cpe.post(
        {
          method: 'GetParameterValuesResponse',
          parameterList: [{ name, value: 'v'.repeat(20_000), type: 'xsd:string' }],
        },
        sent.envelope?.header.id,
      )
      expect(answer.status).toBe(500)
      expect(answer.envelope?.body).toMatchObject({
        method: 'Fault',
        faultCode: 8003,
        faultString: `GetParameterValuesResponse: Value of ${name} is 20000 characters long; at most 16384 are allowed (TR-069)`,
      })
      expect(strings.bench.store.parameters.get('GOOD', name)).toBeUndefined()
    } finally {
      cpe.close()
    }
  })

  it('never sends a CommandKey longer than a CPE may echo back', async () => {
    await expect(strings.bench.acs.execute('GOOD', { method: 'Reboot', commandKey: 'k'.repeat(33) })).rejects.toThrow(
      'Reboot: CommandKey is 33 characters long; at most 32 are allowed (TR-069)',
    )
    expect(strings.bench.acs.rpcs('GOOD').filter((r) => r.method === 'Reboot')).toEqual([])
  })

  it('stores none of them: no device, no parameter, no outbox row but those of the good sessions', () => {
    expect(storeHealth(strings.bench).integrity).toBe('ok')
    expect(strings.bench.store.devices.list().map((d) => d.serial)).toEqual(['GOOD'])
    expect(strings.bench.store.db.prepare('SELECT COUNT(*) AS n FROM parameters').get()).toEqual({
      n: strings.bench.store.parameters.count('GOOD'),
    })
    const rows = strings.bench.store.outbox.after(0, 100_000)
    // One per good session: after each case, and the session with the oversize answers.
    expect(rows.filter((r) => r.topic === 'inform')).toHaveLength(STRING_CASES.length + 1)
    expect(rows.filter((r) => r.key !== null && r.key !== 'GOOD')).toEqual([])
  })
})
