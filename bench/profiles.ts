// What a provisioning profile costs at scale: N simulated CPEs (our simulator, real HTTP, real
// SQLite file) BOOTSTRAP into one profile — a firmware upgrade from the file library (fetched over
// the real file server, reboot, TransferComplete) and a few values set — next to the same N CPEs
// BOOTSTRAPping with no profile, in the same run. Each side is timed from the moment the CPEs start
// until every one is done: its first session ended (plain), or its profile run ended (profile).
// BENCH_PROFILES_CPES sets N (default 500; e.g. 50 for a quick check).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { imageHeader } from '../common/firmware-image'
import { createBench, type Bench } from '../main/core/bench'
import type { ProfileRun } from '../main/core/profiles'
import { startSimulator, type SimFleet } from '../main/core/sim'
import type { BenchSuite } from './types'

const CPES = Number(process.env.BENCH_PROFILES_CPES ?? 500)
const IGD = 'InternetGatewayDevice.'
/** The same size for every CPE: enough to be a real transfer, small enough for 500 of them. */
const IMAGE_BYTES = 256 * 1024

const PROFILE = {
  name: 'bench',
  match: { productClass: 'BM63*' },
  when: { events: ['0 BOOTSTRAP'] },
  steps: [
    { firmware: '2.0.1' },
    {
      set: {
        [`${IGD}LANDevice.1.WLANConfiguration.1.SSID`]: 'bench-lab',
        [`${IGD}ManagementServer.PeriodicInformInterval`]: 600,
        [`${IGD}Time.NTPServer1`]: 'pool.ntp.org',
      },
    },
  ],
}

export const profilesSuite: BenchSuite = {
  name: 'profiles',
  async run(report) {
    if (!Number.isInteger(CPES) || CPES < 1) throw new Error(`BENCH_PROFILES_CPES must be a positive integer`)
    const plain = await timed(false)
    const profiled = await timed(true)
    report({
      name: `${CPES} simulated CPEs BOOTSTRAP into one profile (firmware from the library + 3 values), until all done`,
      value: profiled / 1000,
      unit: 's',
      baseline: { name: `the same ${CPES} CPEs, plain BOOTSTRAP sessions`, value: plain / 1000, unit: 's' },
      ratio: { value: profiled / plain, meaning: 'profile time ÷ plain time' },
    })
  },
}

/** Milliseconds from the CPEs' start until all are done. */
async function timed(withProfile: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profiles-bench-'))
  const bench = await createBench(
    {
      dataDir: dir,
      // Every CPE's first Inform comes in the same instant, which real CPEs never do: room for them.
      // The CPEs run in this process too: with hundreds of them on two busy cores, an RPC may wait
      // minutes for its session (both sides get the same room).
      cwmp: { port: 0, bind: '127.0.0.1', maxPendingBodies: Math.max(256, CPES * 2), rpcTimeoutMs: 600_000 },
      connectionRequest: { username: 'cr', password: 'cr' },
    },
    { log: () => {}, acs: { statusSweepMs: 0 }, scripts: { seedExamples: false } },
  )
  let fleet: SimFleet | undefined
  try {
    const { url } = await bench.acs.listen()
    let allRuns: Promise<Map<string, ProfileRun>> | undefined
    if (withProfile) {
      const body = Buffer.alloc(IMAGE_BYTES, 0x5a)
      const image = Buffer.concat([Buffer.from(imageHeader({ version: '2.0.1', productClass: 'BM632w' })), body])
      await bench.files.library.add({ content: image, name: 'fw-2.0.1.bin' })
      bench.profiles.save(PROFILE)
      allRuns = endedRuns(bench, CPES)
    }
    const started = performance.now()
    fleet = await startSimulator({
      acsUrl: url,
      count: CPES,
      model: 'tr098',
      periodicInformInterval: 0,
      retryMinimumWaitInterval: 0.5,
    })
    if (allRuns) {
      const runs = await allRuns
      const failed = [...runs.values()].filter((r) => r.status !== 'done')
      if (failed.length)
        throw new Error(
          `${failed.length} of ${CPES} profile runs failed, e.g. ${failed[0]!.serial}: ${JSON.stringify(failed[0]!.steps)}`,
        )
      const upgraded = fleet.cpes.filter((c) => c.get(`${IGD}DeviceInfo.SoftwareVersion`) === '2.0.1').length
      if (upgraded !== CPES) throw new Error(`only ${upgraded} of ${CPES} CPEs report 2.0.1`)
    }
    return performance.now() - started
  } finally {
    await fleet?.stop()
    await bench.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Resolves with the first ended run of each of `count` devices. */
function endedRuns(bench: Bench, count: number): Promise<Map<string, ProfileRun>> {
  const ended = new Map<string, ProfileRun>()
  return new Promise((resolve) => {
    const off = bench.events.on('profile.run', ({ run }) => {
      if (run.status === 'running' || ended.has(run.serial)) return
      ended.set(run.serial, run)
      if (ended.size === count) {
        off()
        resolve(ended)
      }
    })
  })
}
