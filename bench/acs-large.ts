// How much one CPE's large message delays everyone else: the latency of a small CPE's whole
// session (Inform → 204) while another CPE's 3.8 MB GetParameterValues answer (25 000 values) is
// being received and parsed, next to the same small session on an idle ACS, in the same run. The
// ratio is what the large message costs the small session; the aim is that it stays within
// ~100 ms of the idle latency, i.e. the ratio close to 1. BENCH_ACS_LARGE_ROUNDS sets the rounds.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBench } from '../main/core/bench'
import { encodeEnvelope } from '../main/core/cwmp'
import { CpeConnection, periodicInform } from './cpe'
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
        const big = new CpeConnection(url)
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
  const cpe = new CpeConnection(url)
  const started = performance.now()
  await cpe.post(inform(serial))
  await cpe.post('')
  const ms = performance.now() - started
  cpe.close()
  return ms
}

/** A periodic Inform without parameters: the small session stores nothing but the Inform. */
function inform(serial: string): string {
  return periodicInform(serial, [])
}

function bigAnswer(id: string): string {
  const parameterList = Array.from({ length: 25_000 }, (_, i) => ({
    name: `Device.X.${i}.SomeLongishParameterName`,
    value: `value-${i}-abcdefgh`,
    type: 'xsd:string',
  }))
  return encodeEnvelope('cwmp-1-0', { id }, { method: 'GetParameterValuesResponse', parameterList })
}
