import { afterEach, describe, expect, it, vi } from 'vitest'
import { createBench } from '../../main/core/bench'
import { DEFAULT_LIMITS } from '../../main/core/scripts'
import { runToEnd, startBench, type TestBench } from './helpers'

// The library, runs and the outbox in a real SQLite file.

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

describe('the script library', () => {
  it('keeps every saved version and refuses what cannot be saved', async () => {
    t = await startBench()
    const s = t.bench.scripts
    const changed: string[] = []
    t.bench.events.on('script.changed', (e) => changed.push(`${e.scriptId}:${e.script?.version ?? 'gone'}`))

    const a = s.create({ name: 'Hello', source: 'print("v1")', description: 'first' })
    expect(a).toMatchObject({ name: 'Hello', version: 1, example: false, limits: {} })
    const b = s.update(a.id, { source: 'print("v2")', limits: { cpuMs: 2000 } })
    expect(b).toMatchObject({ version: 2, source: 'print("v2")', limits: { cpuMs: 2000 } })
    expect(s.update(a.id, { source: 'print("v2")' }).version).toBe(2) // nothing changed
    expect(s.versions(a.id).map((v) => [v.version, v.source])).toEqual([
      [2, 'print("v2")'],
      [1, 'print("v1")'],
    ])
    expect(changed).toEqual([`${a.id}:1`, `${a.id}:2`])

    expect(() => s.create({ name: 'hello', source: '' })).toThrow(/a script named "hello" already exists/)
    expect(() => s.create({ name: '  ', source: '' })).toThrow(/needs a name/)
    expect(() => s.create({ name: 'x\ny', source: '' })).toThrow(/control characters/)
    expect(() => s.create({ name: 'big', source: 'x'.repeat(1024 * 1024 + 1) })).toThrow(/at most 1024 KiB/)
    expect(() => s.create({ name: 'lim', source: '', limits: { memoryMb: 1 } })).toThrow(/memoryMb/)

    // A run of the old version says which version it ran.
    const [old] = s.run(a.id, { version: 1 })
    const ran = await s.wait(old!.id)
    expect(ran).toMatchObject({ scriptVersion: 1, status: 'ok', limits: DEFAULT_LIMITS })
    expect(s.output(ran.id).map((l) => l.text)).toEqual(['v1'])
    const [cur] = s.run(a.id)
    expect((await s.wait(cur!.id)).limits.cpuMs).toBe(2000)

    expect(s.remove(a.id)).toBe(true)
    expect(s.get(a.id)).toBeUndefined()
    expect(s.versions(a.id)).toEqual([])
    // Its runs stay, by name.
    expect(s.getRun(ran.id)).toMatchObject({ scriptId: null, scriptName: 'Hello', scriptVersion: 1 })
  })

  it('records each run and its output in SQLite, with the run in the outbox in the same transaction', async () => {
    t = await startBench()
    const { bench } = t
    const seqBefore = bench.store.outbox.maxSeq()
    const { run } = await runToEnd(bench, 'print("a")\nlog("warn", "b")\nreturn { answer = 42 }', { name: 'rec' })
    const rows = bench.store.outbox.after(seqBefore, 100).filter((r) => r.topic === 'run')
    // queued, running, finished — each a row keyed by the run id.
    expect(rows.map((r) => [r.key, (r.payload as { status: string }).status])).toEqual([
      [run.id, 'queued'],
      [run.id, 'running'],
      [run.id, 'ok'],
    ])
    expect(rows[2]!.payload).toMatchObject({
      id: run.id,
      scriptName: 'rec',
      serial: null,
      result: [{ answer: 42 }],
      output: 'a\n[warn] b',
      hostCalls: 0,
    })
    const stored = bench.store.db.prepare('SELECT status, output_bytes FROM runs WHERE id = ?').get(run.id)
    expect(stored).toEqual({ status: 'ok', output_bytes: 4 })
  })

  it("writes a run's last output, its final record and its outbox row together, or none of them", async () => {
    t = await startBench()
    const { bench } = t
    // The disk refuses the end of this run (a real SQLite error, raised by a trigger).
    bench.store.db.exec(`CREATE TRIGGER refuse_end BEFORE UPDATE OF status ON runs
      WHEN NEW.status NOT IN ('queued', 'running') AND NEW.script_name = 'refused'
      BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`)
    const seqBefore = bench.store.outbox.maxSeq()
    // The script waits for a CWMP event the test sends once "first" is stored, not for a time: on
    // a busy machine "first" and "last" could otherwise be flushed together.
    const [run] = bench.scripts.runSource({
      name: 'refused',
      source: 'print("first")\nlisten_to_cwmp_event("1", "GATE", 60000)\nprint("last")',
    })
    // "first" is stored while the run waits…
    await vi.waitFor(() => expect(bench.scripts.output(run!.id)).toHaveLength(1), { timeout: 20_000, interval: 20 })
    const gate = bench.store.devices.upsert('GATE', {}).device
    bench.events.emit('device.informed', { device: gate, events: [{ code: '1 BOOT', commandKey: '' }] })
    expect((await bench.scripts.wait(run!.id)).status).toBe('ok')
    // …and of the end nothing was written: not its last line, not the record, not the outbox row.
    expect(bench.scripts.output(run!.id).map((l) => l.text)).toEqual(['first'])
    expect(bench.store.db.prepare('SELECT status FROM runs WHERE id = ?').get(run!.id)).toEqual({ status: 'running' })
    const synced = bench.store.outbox.after(seqBefore, 100).filter((r) => r.topic === 'run' && r.key === run!.id)
    expect(synced.map((r) => (r.payload as { status: string }).status)).toEqual(['queued', 'running'])
  })

  it('settles runs a crash left running, and seeds the examples once', async () => {
    t = await startBench({}, { seedExamples: true })
    const { bench, dir } = t
    const examples = bench.scripts.list().filter((s) => s.example)
    expect(examples.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Oktopus example: GetParameterValues', 'Oktopus example: get_device', 'Device summary']),
    )
    for (const e of examples) expect(bench.scripts.check(bench.scripts.get(e.id)!.source), e.name).toEqual({ ok: true })
    bench.scripts.remove(examples[0]!.id)

    // A run left "running" by a process that died.
    const [run] = bench.scripts.runSource({ name: 'stuck', source: 'while true do sleep(1000) end' })
    expect(run!.status).toBe('running')
    expect(bench.store.db.prepare('SELECT status FROM runs WHERE id = ?').get(run!.id)).toEqual({ status: 'running' })
    const file = `${dir}/bench.sqlite`
    // Reopen the same file with a second bench while the first one is still up: what a restart after a crash sees.
    const again = await createBench(
      { dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, databaseFile: file, scripts: { seedExamples: true } },
    )
    try {
      expect(again.scripts.getRun(run!.id)).toMatchObject({ status: 'killed', error: { reason: 'crashed' } })
      // The removed example did not come back, and none was added twice.
      expect(again.scripts.list().filter((s) => s.example)).toHaveLength(examples.length - 1)
    } finally {
      await again.close()
    }
  })
})
