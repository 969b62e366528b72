import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBench, type Bench } from '../../main/core/bench'
import type { BenchConfig, DeepPartial } from '../../main/core/config'
import type { BenchEventMap, BenchEventName } from '../../main/core/events'
import type { ProfileServiceOptions } from '../../main/core/profiles'
import type { RunRecord } from '../../main/core/scripts'
import { startSimulator, type SimFleet, type SimOptions } from '../../main/core/sim'

export interface TestBench {
  bench: Bench
  url: string
  dir: string
  fleets: SimFleet[]
  /** Starts simulated CPEs against this bench's ACS (bootstrapped when it resolves). */
  sims(options?: Partial<SimOptions>): Promise<SimFleet>
  close(): Promise<void>
}

/** A real bench (SQLite file in its own temp folder) with the ACS listening on 127.0.0.1:<any>. */
export async function startBench(
  overrides: DeepPartial<BenchConfig> = {},
  options: { seedExamples?: boolean; profiles?: ProfileServiceOptions } = {},
): Promise<TestBench> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lua-'))
  const bench = await createBench(
    {
      dataDir: dir,
      ...overrides,
      cwmp: { port: 0, bind: '127.0.0.1', ...overrides.cwmp },
      // The simulator's connection-request credentials.
      connectionRequest: {
        username: 'cr',
        password: 'cr',
        timeoutMs: 2_000,
        retries: 1,
        ...overrides.connectionRequest,
      },
    },
    {
      log: () => {},
      acs: { statusSweepMs: 0, connectionRequestBackoffMs: 20 },
      scripts: { seedExamples: options.seedExamples ?? false },
      ...(options.profiles ? { profiles: options.profiles } : {}),
    },
  )
  const address = await bench.acs.listen()
  const fleets: SimFleet[] = []
  return {
    bench,
    url: address.url,
    dir,
    fleets,
    async sims(o = {}) {
      const fleet = await startSimulator({
        acsUrl: address.url,
        periodicInformInterval: 0,
        retryMinimumWaitInterval: 0.2,
        ...o,
      })
      fleets.push(fleet)
      return fleet
    },
    async close() {
      for (const f of fleets.splice(0)) await f.stop()
      await bench.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The serial of the script API page's examples, made by the simulator's prefix + index. */
export const PAGE_SERIAL = 'HUAWNFYC-35454645'
export const PAGE_SIM: Partial<SimOptions> = { serialPrefix: 'HUAWNFYC-35', firstIndex: 454645, model: 'tr098' }

export function example(file: string): string {
  return readFileSync(join(__dirname, '..', '..', 'resources', 'scripts', file), 'utf8')
}

/** Resolves with the next event that passes the test. */
export function nextEvent<K extends BenchEventName>(
  bench: Bench,
  name: K,
  test: (payload: BenchEventMap[K]) => boolean = () => true,
): Promise<BenchEventMap[K]> {
  return new Promise((resolve) => {
    const off = bench.events.on(name, (payload) => {
      if (!test(payload)) return
      off()
      resolve(payload)
    })
  })
}

/** Runs source with no device and waits for the end. */
export async function runToEnd(
  bench: Bench,
  source: string,
  options: Omit<Parameters<Bench['scripts']['runSource']>[0], 'source' | 'name'> & { name?: string } = {},
): Promise<{ run: RunRecord; lines: string[] }> {
  const [run] = bench.scripts.runSource({ name: 'test', source, ...options })
  const done = await bench.scripts.wait(run!.id)
  return { run: done, lines: stdout(bench, done.id) }
}

/** What the run printed (stdout lines only). */
export function stdout(bench: Bench, runId: string): string[] {
  return bench.scripts
    .output(runId)
    .filter((l) => l.stream === 'stdout')
    .map((l) => l.text)
}
