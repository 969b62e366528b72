// The client side of a periodic CWMP session as CPEs run it: a new TCP connection per session
// (the CPE closes it after the ACS's 204), Inform → InformResponse, empty POST → 204. The bare
// baseline uses the same client code, one request per fresh connection. The acs and acs-large
// suites drive their CPEs with the same pieces (CpeConnection, periodicInform, measureLoops).
import { Agent, request } from 'node:http'
import { encodeEnvelope } from '../main/core/cwmp'

const IGD = 'InternetGatewayDevice.'

type InformParameter = { name: string; value: string; type: string }

/** The parameters a TR-098 gateway is forced to send in every Inform. */
export function forcedParameters(serial: string): InformParameter[] {
  return [
    { name: `${IGD}DeviceSummary`, value: 'InternetGatewayDevice:1.1[](Baseline:1)', type: 'xsd:string' },
    { name: `${IGD}DeviceInfo.HardwareVersion`, value: 'HW1', type: 'xsd:string' },
    { name: `${IGD}DeviceInfo.SoftwareVersion`, value: 'SW1', type: 'xsd:string' },
    { name: `${IGD}DeviceInfo.ProvisioningCode`, value: '', type: 'xsd:string' },
    {
      name: `${IGD}ManagementServer.ConnectionRequestURL`,
      value: `http://127.0.0.1:1/${serial}`,
      type: 'xsd:string',
    },
    { name: `${IGD}ManagementServer.ParameterKey`, value: '', type: 'xsd:string' },
    {
      name: `${IGD}WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress`,
      value: '100.64.0.1',
      type: 'xsd:string',
    },
  ]
}

/** A routine periodic Inform, as a TR-098 gateway sends it (by default with the forced parameters). */
export function periodicInform(serial: string, parameterList = forcedParameters(serial)): string {
  return encodeEnvelope(
    'cwmp-1-0',
    { id: '1' },
    {
      method: 'Inform',
      deviceId: { manufacturer: 'Bench', oui: '000000', productClass: 'Sim', serialNumber: serial },
      event: [{ eventCode: '2 PERIODIC', commandKey: '' }],
      maxEnvelopes: 1,
      currentTime: new Date().toISOString(),
      retryCount: 0,
      parameterList,
    },
  )
}

export interface Posted {
  status: number
  body: string
  cookie: string
}

/** One POST on `agent` (its connection), carrying `cookie`; resolves with status, body and the cookie set. */
export function post(url: string, agent: Agent, body: string, cookie = ''): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Length': String(Buffer.byteLength(body)) }
    if (body) headers['Content-Type'] = 'text/xml; charset="utf-8"'
    if (cookie) headers.Cookie = cookie
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const set = res.headers['set-cookie']?.[0]
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text, cookie: set ? set.split(';')[0]! : cookie }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The client side of one CPE: a keep-alive connection of its own, carrying the session cookie it was given. */
export class CpeConnection {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 })
  private cookie = ''

  constructor(private readonly url: string) {}

  async post(body: string): Promise<Posted> {
    const posted = await post(this.url, this.agent, body, this.cookie)
    this.cookie = posted.cookie
    return posted
  }

  close(): void {
    this.agent.destroy()
  }
}

/** A periodic session on a connection of its own: Inform, empty POST, 204; the connection closed after. */
export async function periodicSession(url: string, inform: string): Promise<void> {
  const cpe = new CpeConnection(url)
  try {
    const informed = await cpe.post(inform)
    if (informed.status !== 200) throw new Error(`Inform answered ${informed.status}: ${informed.body.slice(0, 200)}`)
    const end = await cpe.post('')
    if (end.status !== 204) throw new Error(`expected 204 after the empty POST, got ${end.status}: ${end.body}`)
  } finally {
    cpe.close()
  }
}

/** One request on a connection of its own (the bare baseline). */
export async function freshRequest(url: string, body: string): Promise<void> {
  const cpe = new CpeConnection(url)
  try {
    const r = await cpe.post(body)
    if (r.status !== 200) throw new Error(`bare server answered ${r.status}`)
  } finally {
    cpe.close()
  }
}

/** Completions per second and latency percentiles of `work` run in `clients` loops. */
export interface Measured {
  rate: number
  /**
   * CPU time of this process per completion, ms (client and server together, as for the bare
   * baseline): steadier than the rate on a machine that other work shares.
   */
  cpuMs: number
  p50: number
  p99: number
  count: number
  /** Each completion's latency, ms, in the order they completed (for pooled()). */
  latencies: number[]
}

/**
 * Runs `work` in `clients` parallel loops for `seconds` (after `warmMs` of warm-up) and records
 * each completion's latency; `stop` ends the measurement early (the retention pass finished).
 */
export async function measureLoops(
  clients: number,
  seconds: number,
  work: (i: number) => Promise<void>,
  options: { warmMs?: number; stop?: Promise<unknown> } = {},
): Promise<Measured> {
  let stopped = false
  void options.stop?.then(() => (stopped = true))
  const run = async (until: number, latencies: number[] | null) => {
    const loop = async (i: number) => {
      while (performance.now() < until && !stopped) {
        const t = performance.now()
        await work(i)
        latencies?.push(performance.now() - t)
      }
    }
    await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)))
  }
  if ((options.warmMs ?? 500) > 0) await run(performance.now() + (options.warmMs ?? 500), null)
  const latencies: number[] = []
  const start = performance.now()
  const cpu = process.cpuUsage()
  await run(start + seconds * 1000, latencies)
  return measured(latencies, start, cpu)
}

/** Rate, CPU per completion and percentiles of `latencies`, recorded since `start` (and `cpu`). */
function measured(latencies: number[], start: number, cpu: NodeJS.CpuUsage): Measured {
  const used = process.cpuUsage(cpu)
  const elapsed = (performance.now() - start) / 1000
  const cpuMs = (used.user + used.system) / 1000 / Math.max(1, latencies.length)
  return { rate: latencies.length / elapsed, cpuMs, ...percentiles(latencies), count: latencies.length, latencies }
}

/** Several measurements as one: their latencies pooled, the rate over their time together. */
export function pooled(parts: Measured[]): Measured {
  const latencies = parts.flatMap((p) => p.latencies)
  const seconds = parts.reduce((sum, p) => sum + (p.count > 0 ? p.count / p.rate : 0), 0)
  const cpuMs = parts.reduce((sum, p) => sum + p.cpuMs * p.count, 0) / Math.max(1, latencies.length)
  return {
    rate: latencies.length / Math.max(seconds, 1e-9),
    cpuMs,
    ...percentiles(latencies),
    count: latencies.length,
    latencies,
  }
}

/**
 * Runs `work` as periodic CPEs do, open loop: `clients` CPEs, `perSecond` sessions in all, each
 * CPE's sessions due at its own fixed interval (offsets spread evenly), for `seconds` or until
 * `stop` settles. A CPE starts a session when it is due, or when its previous one ends if that is
 * later; latency counts from when it was due, so time the bench could not start work on (the
 * event loop held up) is measured, not left out.
 */
export async function measurePaced(
  clients: number,
  perSecond: number,
  seconds: number,
  work: (i: number) => Promise<void>,
  options: { stop?: Promise<unknown> } = {},
): Promise<Measured> {
  let stopped = false
  void options.stop?.then(() => (stopped = true))
  const every = (clients * 1000) / perSecond
  const start = performance.now()
  const until = start + seconds * 1000
  const latencies: number[] = []
  const cpu = process.cpuUsage()
  const loop = async (i: number) => {
    for (let due = start + (i * every) / clients; due < until && !stopped; due += every) {
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      if (stopped) break
      await work(i)
      latencies.push(performance.now() - due)
    }
  }
  await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)))
  return measured(latencies, start, cpu)
}

export function percentiles(xs: number[]): { p50: number; p99: number } {
  const sorted = [...xs].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: at(0.5), p99: at(0.99) }
}
