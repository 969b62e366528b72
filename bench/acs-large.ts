// How much one CPE's large message delays everyone else: the latency of a small CPE's whole
// session (Inform → 204) while another CPE's 3.8 MB GetParameterValues answer (25 000 values) is
// being received and parsed, next to the same small session on an idle ACS, in the same run. The
// ratio is what the large message costs the small session; the aim is that it stays within
// ~100 ms of the idle latency, i.e. the ratio close to 1. BENCH_ACS_LARGE_ROUNDS sets the rounds.
import { Agent, request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBench } from '../main/core/bench'
import { encodeEnvelope } from '../main/core/cwmp'
import type { BenchSuite } from './types'

const ROUNDS = Number(process.env.BENCH_ACS_LARGE_ROUNDS ?? 5)

export const acsLargeSuite: BenchSuite = {
  name: 'acs-large',
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-acs-large-'))
    const bench = await createBench(
      { dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1', discoverOnBootstrap: false } },
      { log: () => {}, acs: { statusSweepMs: 0 } },
    )
    try {
      const { url } = await bench.acs.listen()
      const idle: number[] = []
      const loaded: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        idle.push(await smallSession(url, `IDLE${round}`))
        const big = new Client(url)
        await big.post(inform('BIG'))
        const gpv = bench.acs.execute('BIG', { method: 'GetParameterValues', parameterNames: ['Device.'] })
        const sent = await big.post('')
        const id = /<cwmp:ID[^>]*>([^<]+)</.exec(sent.body)![1]!
        const answer = bigAnswer(id)
        const posted = big.post(answer)
        // The small session starts once the large answer is on its way in.
        while (bench.acs.bodyLoad().bufferedBytes < answer.length / 2) await new Promise((r) => setImmediate(r))
        loaded.push(await smallSession(url, `LOADED${round}`))
        await posted
        await gpv
        big.close()
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
      const base = median(idle)
      const value = median(loaded)
      report({
        name: 'small CPE session (Inform + 204) while a 3.8 MB GPV answer is parsed, median',
        value,
        unit: 'ms',
        baseline: { name: 'the same session on an idle ACS, median', value: base, unit: 'ms' },
        ratio: { value: value / base, meaning: 'latency under load ÷ idle latency', aim: 'extra ≤ 100 ms' },
      })
    } finally {
      await bench.close()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

async function smallSession(url: string, serial: string): Promise<number> {
  const cpe = new Client(url)
  const started = performance.now()
  await cpe.post(inform(serial))
  await cpe.post('')
  const ms = performance.now() - started
  cpe.close()
  return ms
}

function inform(serial: string): string {
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
      parameterList: [],
    },
  )
}

function bigAnswer(id: string): string {
  const parameterList = Array.from({ length: 25_000 }, (_, i) => ({
    name: `Device.X.${i}.SomeLongishParameterName`,
    value: `value-${i}-abcdefgh`,
    type: 'xsd:string',
  }))
  return encodeEnvelope('cwmp-1-0', { id }, { method: 'GetParameterValuesResponse', parameterList })
}

class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 })
  private cookie = ''
  constructor(private readonly url: string) {}

  post(body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'Content-Type': 'text/xml',
          'Content-Length': Buffer.byteLength(body),
          ...(this.cookie ? { Cookie: this.cookie } : {}),
        },
      })
      req.on('response', (res) => {
        const cookie = res.headers['set-cookie']?.[0]
        if (cookie) this.cookie = cookie.split(';')[0]!
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  close(): void {
    this.agent.destroy()
  }
}
