import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../main/core/scripts'
import { deviceMatcher, nextFiring } from '../../main/core/scripts/triggers/engine'
import { createBench } from '../../main/core/bench'
import { runToEnd, startBench, stdout, type TestBench } from './helpers'

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

  it('run every boot of 50 CPEs booting at once, within the concurrency limit, losing none', async () => {
    const MAX = 8
    t = await startBench({ scripts: { maxConcurrentRuns: MAX } })
    const s = t.bench.scripts
    const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'
    const script = s.create({
      name: 'on boot',
      source: `local v = assert(get_parameter_values(DEVICE, "${SSID}"))\nprint(DEVICE, TRIGGER.event, v["${SSID}"])`,
    })
    s.createTrigger(script.id, { kind: 'event', events: ['1'] })
    let running = 0
    let peak = 0
    t.bench.events.on('run.started', ({ run }) => {
      if (run.status === 'running') peak = Math.max(peak, ++running)
    })
    t.bench.events.on('run.finished', () => running--)
    const warnings: string[] = []
    t.bench.events.on('event.logged', (e) => {
      if (e.kind === 'script' && e.severity !== 'info') warnings.push(e.summary)
    })
    const done = finishedRuns(t, 50, (r) => r.scriptId === script.id)

    // Power on: each CPE's first session carries 0 BOOTSTRAP and 1 BOOT.
    const fleet = await t.sims({ count: 50, serialPrefix: 'STORM' })
    const runs = await done
    expect(warnings).toEqual([])
    expect(peak).toBeLessThanOrEqual(MAX)
    expect(runs.map((r) => r.targets[0]).sort()).toEqual(fleet.cpes.map((c) => c.serial).sort())
    for (const run of runs) {
      expect(run.status, run.error?.message).toBe('ok')
      const cpe = fleet.cpes.find((c) => c.serial === run.targets[0])!
      expect(stdout(t.bench, run.id)).toEqual([`${cpe.serial}\t1 BOOT\t${cpe.get(SSID)}`])
    }
    expect(s.runs({ scriptId: script.id, limit: 1000 })).toHaveLength(50)
    // 50 sessions and 50 runs: on a machine whose cores are busy elsewhere this takes more than
    // the default 30 s; the test waits for the runs, not for a time.
  }, 180_000)

  it('keep an interval schedule on its own phase: other triggers changing and a restart do not move it', async () => {
    t = await startBench()
    const s = t.bench.scripts
    const script = s.create({ name: 'hourly', source: 'return 1' })
    const hourly = s.createTrigger(script.id, { kind: 'schedule', everySeconds: 3600 })
    expect(hourly.nextAt).toBe(hourly.createdAt + 3_600_000)
    const nextOf = (id: string) => s.triggers(script.id).find((x) => x.id === id)!.nextAt

    // Time passes (a run of its own), then other triggers come and go.
    await runToEnd(t.bench, 'sleep(20)')
    const other = s.createTrigger(script.id, { kind: 'event', events: ['1'] })
    s.updateTrigger(other.id, { enabled: false })
    s.createTrigger(script.id, { kind: 'schedule', cron: '0 3 * * *' })
    expect(nextOf(hourly.id)).toBe(hourly.createdAt + 3_600_000)

    // A restart on the same database keeps it too.
    await t.bench.close()
    const again = await createBench(
      { dataDir: t.dir, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, scripts: { seedExamples: false } },
    )
    try {
      expect(again.scripts.triggers(script.id).find((x) => x.id === hourly.id)!.nextAt).toBe(
        hourly.createdAt + 3_600_000,
      )
    } finally {
      await again.close()
    }
  })

  it('never fire a due time twice: a cron that fired for the coming hour (the clock then stepped back) waits for the next', async () => {
    t = await startBench()
    const s = t.bench.scripts
    const script = s.create({ name: 'hourly cron', source: 'return 1' })
    const cron = s.createTrigger(script.id, { kind: 'schedule', cron: '0 0 * * * *' })
    const due = cron.nextAt!
    // It fired for that due time, and the wall clock now reads a little before it again.
    t.bench.store.db.prepare('UPDATE triggers SET last_fired_at = ? WHERE id = ?').run(due, cron.id)
    await t.bench.close()
    const again = await createBench(
      { dataDir: t.dir, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, scripts: { seedExamples: false } },
    )
    try {
      expect(again.scripts.triggers(script.id)[0]!.nextAt).toBe(due + 3_600_000)
    } finally {
      await again.close()
    }
  })

  it('fire an interval schedule on time, and schedule the next from when it was due, not when it ran', async () => {
    t = await startBench()
    const s = t.bench.scripts
    const script = s.create({ name: 'tick', source: 'return TRIGGER.kind' })
    const tick = s.createTrigger(script.id, { kind: 'schedule', everySeconds: 5 })
    // As if it had been created 4.9 s ago: it is due in 0.1 s.
    const anchor = Date.now() - 4_900
    t.bench.store.db
      .prepare('UPDATE triggers SET created_at = ?, updated_at = ? WHERE id = ?')
      .run(anchor, anchor, tick.id)
    const fired = finishedRuns(t, 1, (r) => r.scriptId === script.id)
    s.createTrigger(script.id, { kind: 'event', events: ['9'] }) // any change re-reads the triggers
    const [run] = await fired
    expect(run).toMatchObject({ status: 'ok', result: ['schedule'], trigger: { kind: 'schedule', triggerId: tick.id } })
    const after = s.triggers(script.id).find((x) => x.id === tick.id)!
    expect(after.nextAt).toBe(anchor + 10_000)
    expect(after.lastFiredAt).toBe(anchor + 5_000)
  })

  it('keep at most keepRuns finished runs while the app runs, not only at start', async () => {
    t = await startBench({ scripts: { keepRuns: 10 } })
    const s = t.bench.scripts
    const runs = Array.from(
      { length: 25 },
      (_, i) => s.runSource({ name: 'r', source: `print(${i})\nreturn ${i}` })[0]!,
    )
    await Promise.all(runs.map((r) => s.wait(r.id)))
    const count = () => (t!.bench.store.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n
    expect(count()).toBeLessThanOrEqual(11)
    // The newest are the ones kept, with their output.
    const kept = s.runs({ limit: 100 })
    expect(kept[0]!.result).toEqual([24])
    expect(s.output(kept[0]!.id).map((l) => l.text)).toEqual(['24'])
    expect(kept.map((r) => r.result![0])).toEqual(
      [...kept.map((r) => r.result![0])].sort((a, b) => Number(b) - Number(a)),
    )
    const orphans = t.bench.store.db
      .prepare('SELECT count(*) AS n FROM run_output WHERE run_id NOT IN (SELECT id FROM runs)')
      .get() as { n: number }
    expect(orphans.n).toBe(0)
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
