// CWMP sessions per second through the real ACS (HTTP, XML, SQLite file), next to a bare Node HTTP
// server's requests per second, both driven by the same lightweight CPE client in the same run.
// A session is Inform → InformResponse, empty POST → GetParameterValues, GPV response → 204: three
// HTTP exchanges plus the parsing, storing and logging they cause. The ratio says how many bare
// requests one whole session costs; the aim is at most 4. BENCH_ACS_CLIENTS=1,50 and
// BENCH_ACS_SECONDS=5 choose the concurrency levels and the measuring time.
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBench } from '../main/core/bench'
import { encodeEnvelope } from '../main/core/cwmp'
import { CpeConnection, measureLoops, periodicInform } from './cpe'
import type { BenchSuite } from './types'

const SECONDS = Number(process.env.BENCH_ACS_SECONDS ?? 3)
const CONCURRENCY = (process.env.BENCH_ACS_CLIENTS ?? '1,50,500').split(',').map(Number)
const IGD = 'InternetGatewayDevice.'

export const acsSuite: BenchSuite = {
  name: 'acs',
  async run(report) {
    for (const clients of CONCURRENCY) {
      const bare = await bareRate(clients)
      const sessions = await sessionRate(clients)
      report({
        name: `CWMP sessions (Inform + GetParameterValues + close), ${clients} concurrent CPE${clients === 1 ? '' : 's'}`,
        value: sessions,
        unit: 'sessions/s',
        baseline: {
          name: `bare Node HTTP server, ${clients} concurrent client${clients === 1 ? '' : 's'}`,
          value: bare,
          unit: 'req/s',
        },
        ratio: { value: bare / sessions, meaning: 'bare requests one session costs', aim: '≤ 4' },
      })
    }
  },
}

/** One CPE of the suite: its connection and its Inform; a session answers the ACS's GetParameterValues. */
class BenchCpe extends CpeConnection {
  readonly inform: string

  constructor(url: string, serial: string) {
    super(url)
    this.inform = periodicInform(serial)
  }

  async session(): Promise<void> {
    const informed = await this.post(this.inform)
    if (informed.status !== 200) throw new Error(`Inform answered ${informed.status}: ${informed.body}`)
    const rpc = await this.post('')
    const id = /<cwmp:ID[^>]*>([^<]*)<\/cwmp:ID>/.exec(rpc.body)?.[1]
    if (rpc.status !== 200 || !id || !rpc.body.includes('GetParameterValues'))
      throw new Error(`expected GetParameterValues, got ${rpc.status}: ${rpc.body.slice(0, 200)}`)
    const end = await this.post(gpvResponse(id))
    if (end.status !== 204) throw new Error(`expected 204 after the answer, got ${end.status}`)
  }
}

function gpvResponse(id: string): string {
  return encodeEnvelope(
    'cwmp-1-0',
    { id },
    {
      method: 'GetParameterValuesResponse',
      parameterList: [
        { name: `${IGD}DeviceInfo.UpTime`, value: String(Math.floor(performance.now())), type: 'xsd:unsignedInt' },
      ],
    },
  )
}

/** Runs `work` in `clients` parallel loops for SECONDS (after a short warm-up); returns completions/s. */
async function measure(clients: number, work: (i: number) => Promise<void>): Promise<number> {
  return (await measureLoops(clients, SECONDS, work)).rate
}

export async function bareRate(clients: number): Promise<number> {
  const reply = encodeEnvelope('cwmp-1-0', { id: '1' }, { method: 'InformResponse', maxEnvelopes: 1 })
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"', 'Content-Length': Buffer.byteLength(reply) })
      res.end(reply)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const cpes = Array.from({ length: clients }, (_, i) => new BenchCpe(url, `BARE${i}`))
  const body = cpes[0]!.inform
  try {
    return await measure(clients, async (i) => {
      const r = await cpes[i]!.post(body)
      if (r.status !== 200) throw new Error(`bare server answered ${r.status}`)
    })
  } finally {
    for (const c of cpes) c.close()
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
}

export async function sessionRate(clients: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-acs-bench-'))
  const bench = await createBench(
    // Exactly Inform + one GPV + close per session: no discovery RPCs on a new device's first Inform.
    // All clients start their first Inform in the same instant, which real CPEs never do: room for
    // that many bodies at once, so the suite measures throughput, not the admission cap (503).
    {
      dataDir: dir,
      cwmp: { port: 0, bind: '127.0.0.1', discoverOnBootstrap: false, maxPendingBodies: Math.max(256, clients * 2) },
    },
    { log: () => {}, acs: { statusSweepMs: 0 } },
  )
  // What a script does on every Inform: read a value. Queued while the session is open, so the
  // ACS sends it after the CPE's empty POST.
  const gpv = { method: 'GetParameterValues' as const, parameterNames: [`${IGD}DeviceInfo.UpTime`] }
  const off = bench.events.on('device.informed', ({ device }) => {
    bench.acs
      .execute(device.serial, gpv)
      .catch((error: unknown) => console.error(`GPV to ${device.serial}: ${String(error)}`))
  })
  const { url } = await bench.acs.listen()
  const cpes = Array.from({ length: clients }, (_, i) => new BenchCpe(url, `BENCH${String(i).padStart(4, '0')}`))
  try {
    return await measure(clients, (i) => cpes[i]!.session())
  } finally {
    off()
    for (const c of cpes) c.close()
    await bench.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
