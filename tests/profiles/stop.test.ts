import { afterEach, describe, expect, it } from 'vitest'
import type { ProfileRun } from '../../main/core/profiles'
import { startBench, type TestBench } from '../lua/helpers'

// "Stop the rest" of a profile started on many devices: real simulated CPEs (one answering slowly,
// by fault injection) over real HTTP, a real SQLite file.

let tb: TestBench | undefined
afterEach(async () => {
  await tb?.close()
  tb = undefined
})

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'

function ended(tb: TestBench, ids: string[]): Promise<ProfileRun[]> {
  const want = new Set(ids)
  const out = new Map<string, ProfileRun>()
  return new Promise((resolve) => {
    const off = tb.bench.events.on('profile.run', ({ run }) => {
      if (!want.has(run.id) || run.status === 'running') return
      out.set(run.id, run)
      if (out.size === want.size) {
        off()
        resolve(ids.map((id) => out.get(id)!))
      }
    })
  })
}

describe('stopping profile runs', () => {
  it('ends a run in flight and the runs queued behind it, and leaves finished ones as they were', async () => {
    tb = await startBench()
    const { bench } = tb
    const fleet = await tb.sims({ count: 2, model: 'tr098', serialPrefix: 'STOP' })
    const [slow, quick] = fleet.cpes as [(typeof fleet.cpes)[0], (typeof fleet.cpes)[0]]
    slow.setFaults({ answerDelayMs: 60_000 })
    const steps = [{ set: { [SSID]: 'stopped?' } }, { set: { [SSID]: 'second' } }]
    bench.profiles.save({ name: 'first', match: {}, when: { events: [] }, steps })
    bench.profiles.save({ name: 'second', match: {}, when: { events: [] }, steps })

    const quickRun = bench.profiles.runOn('first', [quick.serial])
    expect((await ended(tb, quickRun))[0]).toMatchObject({ status: 'done' })
    const [inFlight] = bench.profiles.runOn('first', [slow.serial]) as [string]
    const [queued] = bench.profiles.runOn('second', [slow.serial]) as [string]
    // The slow CPE has the first step's request and is sitting on it.
    await expect
      .poll(() => bench.profiles.runs({ serial: slow.serial }).find((r) => r.id === inFlight)?.status, {
        timeout: 30_000,
      })
      .toBe('running')
    await expect.poll(() => bench.acs.inSession(slow.serial), { timeout: 30_000 }).toBe(true)

    const finished = ended(tb, [inFlight, queued])
    expect(bench.profiles.stopRuns([inFlight, queued, quickRun[0]!])).toBe(2)
    const [a, b] = await finished
    expect(a).toMatchObject({ status: 'failed' })
    expect(a!.steps[0]!.detail).toMatch(/stopped by the technician during this step/)
    expect(a!.steps[1]).toMatchObject({ outcome: 'not-run' })
    expect(b).toMatchObject({ status: 'failed' })
    expect(b!.steps[0]).toMatchObject({ outcome: 'not-run', detail: 'stopped by the technician before this step' })
    // Finished runs are not touched; stopping again changes nothing.
    expect(bench.profiles.runs({ serial: quick.serial })[0]).toMatchObject({ status: 'done' })
    expect(bench.profiles.stopRuns([inFlight, queued])).toBe(0)
  }, 120_000)
})
