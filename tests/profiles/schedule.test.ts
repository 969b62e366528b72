import { afterEach, describe, expect, it } from 'vitest'
import type { Clock, ProfileRun } from '../../main/core/profiles'
import { startBench, type TestBench } from '../lua/helpers'

// A profile's schedule, with a clock the test moves: at each due time the profile runs on every
// known device it matches (real ACS over HTTP, simulated CPEs reached by connection request, a
// real SQLite file); not before, not on devices it does not match, and not again once disabled.

let tb: TestBench | undefined
afterEach(async () => {
  await tb?.close()
  tb = undefined
})

/** Time that moves only when told; timers fire in due order as it passes them. */
class ManualClock implements Clock {
  private timers: { at: number; fire: () => void }[] = []
  constructor(private time: number) {}
  now(): number {
    return this.time
  }
  setTimer(at: number, fire: () => void): () => void {
    const t = { at, fire }
    this.timers.push(t)
    return () => (this.timers = this.timers.filter((x) => x !== t))
  }
  /** The earliest pending timer's due time. */
  nextAt(): number | undefined {
    return Math.min(...this.timers.map((t) => t.at))
  }
  advanceTo(time: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.at <= time).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      this.timers = this.timers.filter((t) => t !== due)
      this.time = due.at
      due.fire()
    }
    this.time = time
  }
}

const IGD = 'InternetGatewayDevice.'
const INTERVAL = `${IGD}ManagementServer.PeriodicInformInterval`

describe('profile schedules', () => {
  it('runs a scheduled profile on every matching device at its due times only', async () => {
    // Monday 2026-11-30 01:00 local time.
    const start = new Date(2026, 10, 30, 1, 0, 0).getTime()
    const clock = new ManualClock(start)
    tb = await startBench({}, { profiles: { clock } })
    const { bench } = tb
    const matching = await tb.sims({ count: 2, model: 'tr098', serialPrefix: 'NIGHT' })
    const other = await tb.sims({ count: 1, model: 'tr098', serialPrefix: 'DAY' })
    const profile = bench.profiles.save({
      name: 'nightly interval',
      match: { serial: 'NIGHT*' },
      when: { schedule: '0 3 * * *' },
      steps: [{ set: { [INTERVAL]: 900 } }],
    })
    const threeAm = new Date(2026, 10, 30, 3, 0, 0).getTime()
    expect(bench.profiles.nextScheduled()).toEqual({ [profile.id]: threeAm })

    // 02:59: nothing yet.
    clock.advanceTo(threeAm - 60_000)
    expect(bench.profiles.runs()).toEqual([])

    // 03:00: one run per matching device, which reaches the CPEs for real.
    const ended = new Map<string, ProfileRun>()
    const off = bench.events.on('profile.run', ({ run }) => {
      if (run.status !== 'running') ended.set(run.id, run)
    })
    clock.advanceTo(threeAm)
    await expect.poll(() => ended.size, { timeout: 60_000 }).toBe(2)
    const runs = [...ended.values()]
    expect(runs.map((r) => r.serial).sort()).toEqual(matching.cpes.map((c) => c.serial).sort())
    for (const r of runs)
      expect(r).toMatchObject({ trigger: 'schedule', status: 'done', profileName: 'nightly interval' })
    for (const cpe of matching.cpes) expect(cpe.get(INTERVAL)).toBe('900')
    expect(other.cpes[0]!.get(INTERVAL)).not.toBe('900')
    // Next due time: tomorrow 03:00.
    const tomorrow = new Date(2026, 11, 1, 3, 0, 0).getTime()
    expect(bench.profiles.nextScheduled()).toEqual({ [profile.id]: tomorrow })

    // The second night finds the value held on both devices.
    ended.clear()
    clock.advanceTo(tomorrow)
    await expect.poll(() => ended.size, { timeout: 60_000 }).toBe(2)
    for (const r of ended.values()) expect(r.steps[0]!.outcome).toBe('held')
    off()

    // Disabled: no timer, and passing its time starts nothing.
    bench.profiles.setEnabled('nightly interval', false)
    expect(bench.profiles.nextScheduled()).toEqual({})
    expect(clock.nextAt()).toBe(Infinity)
    clock.advanceTo(tomorrow + 86_400_000)
    expect(bench.profiles.runs()).toHaveLength(4)
  }, 120_000)

  it('a changed schedule re-arms its timer; a bad one is refused and changes nothing', async () => {
    const clock = new ManualClock(new Date(2026, 10, 30, 1, 0, 0).getTime())
    tb = await startBench({}, { profiles: { clock } })
    const { bench } = tb
    const p = bench.profiles.save({ name: 'weekly', when: { schedule: '0 4 * * 0' }, steps: [{ firmware: '1' }] })
    // Sunday 2026-12-06 04:00.
    expect(bench.profiles.nextScheduled()[p.id]).toBe(new Date(2026, 11, 6, 4, 0, 0).getTime())
    bench.profiles.save({ name: 'weekly', when: { schedule: '15 1 * * *' }, steps: [{ firmware: '1' }] })
    expect(bench.profiles.nextScheduled()[p.id]).toBe(new Date(2026, 10, 30, 1, 15, 0).getTime())
    expect(() =>
      bench.profiles.save({ name: 'weekly', when: { schedule: '15 1 * * * * *' }, steps: [{ firmware: '1' }] }),
    ).toThrow(/profile "weekly": when\.schedule "15 1 \* \* \* \* \*" has 7 fields/)
    expect(() =>
      bench.profiles.save({ name: 'weekly', when: { schedule: '* * 32 * *' }, steps: [{ firmware: '1' }] }),
    ).toThrow(/when\.schedule "\* \* 32 \* \*" is not a valid cron expression/)
    expect(bench.profiles.get('weekly')).toMatchObject({ version: 2, when: { schedule: '15 1 * * *' } })
    expect(bench.profiles.nextScheduled()[p.id]).toBe(new Date(2026, 10, 30, 1, 15, 0).getTime())
  })
})
