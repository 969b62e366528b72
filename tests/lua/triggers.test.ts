import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../main/core/lua'
import { deviceMatcher, nextFiring } from '../../main/core/lua/triggers'
import { startBench, stdout, type TestBench } from './helpers'

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

function finishedRuns(tb: TestBench, count: number, test: (r: RunRecord) => boolean): Promise<RunRecord[]> {
  const seen: RunRecord[] = []
  return new Promise((resolve) => {
    const off = tb.bench.events.on('run.finished', ({ run }) => {
      if (!test(run)) return
      seen.push(run)
      if (seen.length === count) {
        off()
        resolve(seen)
      }
    })
  })
}

describe('triggers', () => {
  it('run a script on the device whose Inform carries a matching event', async () => {
    t = await startBench()
    const fleet = await t.sims({ count: 2, serialPrefix: 'TRIG' })
    const [a, b] = fleet.cpes
    const s = t.bench.scripts
    const script = s.create({
      name: 'on boot',
      source: 'print(DEVICE, TRIGGER.kind, TRIGGER.event, get_device(DEVICE).sn == DEVICE)',
    })
    const trigger = s.createTrigger(script.id, { kind: 'event', events: ['1'], deviceFilter: `${a!.serial}, NOPE*` })
    expect(trigger).toMatchObject({ kind: 'event', enabled: true, events: ['1'], target: { kind: 'none' } })

    const done = finishedRuns(t, 1, (r) => r.scriptId === script.id)
    await b!.inform(['1 BOOT']) // filtered out by device
    await a!.inform(['2 PERIODIC']) // filtered out by event
    await a!.inform(['1 BOOT', 'M Reboot'])
    const [run] = await done
    expect(run).toMatchObject({
      status: 'ok',
      targets: [a!.serial],
      trigger: { kind: 'event', triggerId: trigger.id, event: '1 BOOT' },
    })
    expect(stdout(t.bench, run!.id)).toEqual([`${a!.serial}\tevent\t1 BOOT\ttrue`])
    expect(s.runs({ scriptId: script.id })).toHaveLength(1)
    expect(s.triggers(script.id)[0]!.lastFiredAt).not.toBeNull()

    // Disabled: nothing more.
    s.updateTrigger(trigger.id, { enabled: false })
    const other = s.create({ name: 'witness', source: 'print("w")' })
    s.createTrigger(other.id, { kind: 'event', events: ['BOOT'] })
    const witness = finishedRuns(t, 1, (r) => r.scriptId === other.id)
    await a!.inform(['1 BOOT'])
    await witness
    expect(s.runs({ scriptId: script.id })).toHaveLength(1)
  })

  it('run a script on a schedule, skipping a turn while the previous run still goes', async () => {
    t = await startBench()
    await t.sims({ count: 2, serialPrefix: 'SCHED' })
    const s = t.bench.scripts
    const quick = s.create({ name: 'tick', source: 'print(DEVICE)' })
    const trigger = s.createTrigger(quick.id, { kind: 'schedule', cron: '* * * * * *', target: { kind: 'all' } })
    expect(trigger.nextAt).toBeGreaterThan(Date.now() - 1000)
    const runs = await finishedRuns(t, 2, (r) => r.scriptId === quick.id)
    expect(runs.map((r) => r.targets[0]).sort()).toEqual(['SCHED000001', 'SCHED000002'])
    expect(runs.every((r) => r.status === 'ok' && r.trigger.kind === 'schedule')).toBe(true)
    expect(runs[0]!.batchId).toBe(runs[1]!.batchId)
    s.removeTrigger(trigger.id)

    const slow = s.create({ name: 'slow', source: 'sleep(60000)' })
    s.createTrigger(slow.id, { kind: 'schedule', cron: '* * * * * *' })
    const skipped = new Promise<string>((resolve) => {
      const off = t!.bench.events.on('event.logged', (e) => {
        if (e.kind !== 'script' || !e.summary.includes('skipped')) return
        off()
        resolve(e.summary)
      })
    })
    expect(await skipped).toBe('Trigger of "slow" skipped a scheduled run: the previous one is still running')
    expect(s.active().filter((r) => r.scriptId === slow.id)).toHaveLength(1)
  })

  it('check what they are given', async () => {
    t = await startBench()
    const s = t.bench.scripts
    const id = s.create({ name: 'x', source: '' }).id
    expect(() => s.createTrigger(id, { kind: 'schedule' })).toThrow(/either everySeconds or cron/)
    expect(() => s.createTrigger(id, { kind: 'schedule', cron: 'every tuesday' })).toThrow(
      /cron "every tuesday" is not valid/,
    )
    expect(() => s.createTrigger(id, { kind: 'schedule', everySeconds: 1 })).toThrow(/at least 5/)
    expect(() => s.createTrigger(id, { kind: 'event', events: [''] })).toThrow(/events is a list/)
    expect(() => s.createTrigger(id, { kind: 'nope' as never })).toThrow(/"event" or "schedule"/)
    expect(() => s.createTrigger('missing', { kind: 'event' })).toThrow(/no script/)
    expect(deviceMatcher('HUAW*, SIM00000?')('huawXYZ')).toBe(true)
    expect(deviceMatcher('HUAW*, SIM00000?')('SIM000001')).toBe(true)
    expect(deviceMatcher('HUAW*, SIM00000?')('SIM000010')).toBe(false)
    expect(deviceMatcher('')('anything')).toBe(true)
    expect(nextFiring({ everySeconds: 60, cron: null }, 1000)).toBe(61_000)
    const at = Date.UTC(2024, 0, 1, 10, 7, 30)
    expect(new Date(nextFiring({ everySeconds: null, cron: '*/15 * * * *' }, at)!).getMinutes() % 15).toBe(0)
  })
})
