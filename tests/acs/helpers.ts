import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AcsOptions } from '../../main/core/acs'
import { createBench, type Bench } from '../../main/core/bench'
import type { BenchConfig, DeepPartial } from '../../main/core/config'
import {
  decodeEnvelope,
  DigestClient,
  basicHeader,
  encodeEnvelope,
  type CpeRequest,
  type CwmpBody,
  type CwmpVersion,
  type DecodedEnvelope,
  type ParameterValueStruct,
} from '../../main/core/cwmp'
import type { BenchEventMap, BenchEventName } from '../../main/core/events'

export interface TestAcs {
  bench: Bench
  url: string
  port: number
  dir: string
  close(): Promise<void>
}

/**
 * A real bench (SQLite file in its own temp folder) with the ACS listening on 127.0.0.1:<any>.
 * `acsOptions` adds to the ACS's options (e.g. a clock the test moves).
 */
export async function startAcs(
  overrides: DeepPartial<BenchConfig> = {},
  acsOptions: AcsOptions = {},
): Promise<TestAcs> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-acs-'))
  const bench = await createBench(
    {
      dataDir: dir,
      ...overrides,
      // Hand-built sessions here expect the ACS to send only what the test queues; discovery on
      // bootstrap has its own test (discovery.test.ts).
      cwmp: { port: 0, bind: '127.0.0.1', discoverOnBootstrap: false, ...overrides.cwmp },
      connectionRequest: { timeoutMs: 2_000, retries: 1, ...overrides.connectionRequest },
    },
    { log: () => {}, acs: { statusSweepMs: 0, connectionRequestBackoffMs: 20, ...acsOptions } },
  )
  const address = await bench.acs.listen()
  return {
    bench,
    url: address.url,
    port: address.port,
    dir,
    async close() {
      await bench.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface HttpReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
}

/** One HTTP request; resolves with whatever the server answered (even if it then cut the upload short). */
export function httpPost(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
  agent: Agent | false = false,
  method = 'POST',
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    let answered = false
    const req = request(url, {
      method,
      agent,
      headers: { 'Content-Length': String(Buffer.byteLength(body)), ...headers },
    })
    req.on('response', (res) => {
      answered = true
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const buf = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text: buf.toString('utf8') })
      })
      res.on('error', reject)
    })
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    req.end(body)
  })
}

export interface InformOptions {
  serial?: string
  events?: string[]
  id?: string | null
  version?: CwmpVersion
  root?: 'InternetGatewayDevice' | 'Device'
  params?: ParameterValueStruct[]
  crUrl?: string
  interval?: number
}

export function informBody(o: InformOptions = {}): Extract<CpeRequest, { method: 'Inform' }> {
  const root = o.root ?? 'InternetGatewayDevice'
  const serial = o.serial ?? 'SN0001'
  return {
    method: 'Inform',
    deviceId: { manufacturer: 'ACME', oui: '00D09E', productClass: 'Router', serialNumber: serial },
    event: (o.events ?? ['1 BOOT']).map((eventCode) => ({ eventCode, commandKey: '' })),
    maxEnvelopes: 1,
    currentTime: '2024-01-01T00:00:00Z',
    retryCount: 0,
    parameterList: o.params ?? [
      { name: `${root}.DeviceInfo.ModelName`, value: 'R-100', type: 'xsd:string' },
      { name: `${root}.DeviceInfo.SoftwareVersion`, value: '1.2.3', type: 'xsd:string' },
      { name: `${root}.DeviceInfo.HardwareVersion`, value: 'hw1', type: 'xsd:string' },
      {
        name: `${root}.ManagementServer.ConnectionRequestURL`,
        value: o.crUrl ?? 'http://127.0.0.1:1/cr',
        type: 'xsd:string',
      },
      {
        name: `${root}.ManagementServer.PeriodicInformInterval`,
        value: String(o.interval ?? 300),
        type: 'xsd:unsignedInt',
      },
    ],
  }
}

export function informXml(o: InformOptions = {}): string {
  const id = o.id === null ? undefined : (o.id ?? 'inform-1')
  return encodeEnvelope(o.version ?? 'cwmp-1-0', id === undefined ? {} : { id }, informBody(o))
}

/**
 * A hand-driven CPE: one keep-alive connection (like a real CPE), our session cookie, and
 * optional Basic/Digest credentials answering the ACS's 401 challenges.
 */
export class ManualCpe {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 1 })
  cookie: string | undefined
  private digest: DigestClient | undefined

  constructor(
    readonly url: string,
    readonly options: {
      version?: CwmpVersion
      credentials?: { username: string; password: string }
      useCookie?: boolean
      keepAlive?: boolean
    } = {},
  ) {}

  get version(): CwmpVersion {
    return this.options.version ?? 'cwmp-1-0'
  }

  /** POSTs a body (string or envelope) and answers one auth challenge if credentials are set. */
  async post(
    body: string | CwmpBody | null,
    id?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<CpeReply> {
    const text =
      body === null
        ? ''
        : typeof body === 'string'
          ? body
          : encodeEnvelope(this.version, id === undefined ? {} : { id }, body)
    let reply = await this.send(text, extraHeaders)
    if (reply.status === 401 && this.options.credentials) {
      const challenge = String(reply.headers['www-authenticate'] ?? '')
      if (/^digest/i.test(challenge)) this.digest = new DigestClient(challenge, this.options.credentials)
      reply = await this.send(text, extraHeaders)
    }
    return reply
  }

  async send(text: string, extraHeaders: Record<string, string> = {}): Promise<CpeReply> {
    const headers: Record<string, string> = {
      'Content-Type': 'text/xml; charset="utf-8"',
      SOAPAction: '',
      ...extraHeaders,
    }
    if (this.cookie && this.options.useCookie !== false) headers.Cookie = this.cookie
    const creds = this.options.credentials
    if (creds && !headers.Authorization) {
      if (this.digest) headers.Authorization = this.digest.authorization('POST', new URL(this.url).pathname)
      else if (this.basic) headers.Authorization = basicHeader(creds)
    }
    const reply = await httpPost(this.url, text, headers, this.options.keepAlive === false ? false : this.agent)
    const setCookie = reply.headers['set-cookie']
    if (setCookie?.length) this.cookie = setCookie[0]!.split(';')[0]
    if (reply.status === 401 && /^basic/i.test(String(reply.headers['www-authenticate']))) this.basic = true
    let envelope: DecodedEnvelope | undefined
    if (reply.text.trim().startsWith('<')) envelope = decodeEnvelope(reply.text)
    return { ...reply, envelope }
  }

  private basic = false

  close(): void {
    this.agent.destroy()
  }
}

export interface CpeReply extends HttpReply {
  envelope?: DecodedEnvelope
}

/** Resolves with the first event of that name matching the predicate. */
export function nextEvent<K extends BenchEventName>(
  bench: Bench,
  name: K,
  match: (payload: BenchEventMap[K]) => boolean = () => true,
): Promise<BenchEventMap[K]> {
  return new Promise((resolve) => {
    const off = bench.events.on(name, (payload) => {
      if (!match(payload)) return
      off()
      resolve(payload)
    })
  })
}

/** A session Inform → empty POST → 204, asserting nothing; returns the replies. */
export async function plainSession(cpe: ManualCpe, o: InformOptions = {}): Promise<CpeReply[]> {
  const inform = await cpe.post(informXml({ version: cpe.version, ...o }))
  const done = await cpe.post(null)
  return [inform, done]
}

/** SQLite's own verdict on the file, plus the row counts a test compares. */
export function storeHealth(bench: Bench): { integrity: string; devices: number; events: number } {
  const integrity = bench.store.db.pragma('integrity_check', { simple: true }) as string
  return { integrity, devices: bench.store.devices.count(), events: bench.store.events.count() }
}

/** One raw HTTP request as bytes (for tests that write several in one TCP write). */
export function rawPost(body: string, headers: Record<string, string> = {}): string {
  const lines = [
    'POST / HTTP/1.1',
    'Host: acs',
    'Content-Type: text/xml; charset="utf-8"',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ]
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}

/**
 * Writes `payload` on one new TCP connection in one write and reads `count` HTTP responses from
 * it (status and body; bodies are framed by Content-Length, as the ACS always sends them).
 */
export function rawExchange(port: number, payload: string, count: number): Promise<{ status: number; body: string }[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(payload))
    let data = Buffer.alloc(0)
    const replies: { status: number; body: string }[] = []
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      for (;;) {
        const end = data.indexOf('\r\n\r\n')
        if (end < 0) break
        const head = data.subarray(0, end).toString('latin1')
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
        if (data.length < end + 4 + length) break
        replies.push({
          status: Number(head.slice(9, 12)),
          body: data.subarray(end + 4, end + 4 + length).toString('utf8'),
        })
        data = data.subarray(end + 4 + length)
      }
      if (replies.length >= count) {
        socket.destroy()
        resolve(replies)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(replies))
  })
}

/**
 * Starts a POST that declares `declared` bytes, sends the first `sent`, and then sends nothing
 * more (a stalled or slow upload). `reply` resolves with the ACS's answer (status line and
 * headers) once the ACS closed the connection; `socket` lets the test end it.
 */
export function stalledUpload(port: number, declared: number, sent: number) {
  const socket = connect(port, '127.0.0.1')
  const reply = new Promise<{ status: number; head: string }>((resolve) => {
    let data = ''
    socket.on('connect', () => {
      socket.write(
        `POST / HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\nContent-Length: ${declared}\r\n\r\n` +
          '<'.repeat(sent),
      )
    })
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')))
    // A refused or reset connection shows as status 0 once it closes.
    socket.on('error', () => {})
    socket.on('close', () => resolve({ status: Number(data.slice(9, 12)) || 0, head: data.split('\r\n\r\n')[0]! }))
  })
  return { socket, reply }
}

/** Resolves once `condition()` holds, checking after each turn of I/O (never a fixed sleep). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5))
}

/**
 * Answers the ACS's requests in a ManualCpe session until it sends 204: GetParameterNames with
 * `names(path)` (default none), GetParameterValues with empty values unless `values` says,
 * GetRPCMethods with a short list. Returns the final reply and what was asked, in order.
 */
export async function answerUntilEnd(
  cpe: ManualCpe,
  first: CpeReply,
  answers: {
    names?: (path: string) => string[]
    values?: (names: string[]) => CwmpBody
  } = {},
): Promise<{ reply: CpeReply; asked: string[] }> {
  const asked: string[] = []
  let reply = first
  while (reply.status === 200 && reply.envelope?.body) {
    const body = reply.envelope.body
    const id = reply.envelope.header.id
    if (body.method === 'GetParameterNames') {
      asked.push(`GPN ${body.parameterPath}`)
      const list = (answers.names?.(body.parameterPath) ?? []).map((name) => ({ name, writable: false }))
      reply = await cpe.post({ method: 'GetParameterNamesResponse', parameterList: list }, id)
    } else if (body.method === 'GetParameterValues') {
      asked.push(`GPV ${body.parameterNames.join(',')}`)
      reply = await cpe.post(
        answers.values?.(body.parameterNames) ?? { method: 'GetParameterValuesResponse', parameterList: [] },
        id,
      )
    } else if (body.method === 'GetRPCMethods') {
      asked.push('GetRPCMethods')
      reply = await cpe.post({ method: 'GetRPCMethodsResponse', methodList: ['GetParameterValues'] }, id)
    } else break
  }
  return { reply, asked }
}
