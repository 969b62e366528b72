import { afterEach, describe, expect, it } from 'vitest'
import type { RunOutputLine } from '../../main/core/scripts'
import { nextEvent, startBench, type TestBench } from './helpers'

// "A script can sit in `while true do … end` around listen_to_cwmp_event for days without
// leaking." A day of a busy bench is tens of thousands of events; a CI run cannot wait for that
// many real Informs, so this soak uses REAL_INFORMS real ones (simulated CPEs informing through
// the real ACS over HTTP) and then BUS_EVENTS more emitted on the bench's event bus, on the same
// "device.informed" event the ACS emits and the one subscription listen_to_cwmp_event shares.
const REAL_INFORMS = 200
const BUS_EVENTS = 30_000
const WARM_UP = 5_000
/** Events emitted at once, then awaited: under the run's queue of 1000 so none is dropped. */
const BATCH = 500
const CHECKPOINT_EVERY = 2_500

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

// The page's listener example, verbatim inside, plus a memory report from inside the script.
const LISTENER = `
local n = 0
while true do
  local cwmp_event = listen_to_cwmp_event("2")
  print("CWMP event " .. cwmp_event.event .. ", triggered by device: " .. cwmp_event.serial_number)
  n = n + 1
  if n % ${CHECKPOINT_EVERY} == 0 then
    collectgarbage("collect")
    log("info", "checkpoint " .. n .. " " .. collectgarbage("count"))
  end
end
`

describe('a listener loop', () => {
  it('handles tens of thousands of events in one run without growing anything', async () => {
    t = await startBench()
    const bench = t.bench
    const s = bench.scripts
    const fleet = await t.sims({ count: 4, serialPrefix: 'SOAK' })
    // vitest.config.ts starts the test process with --expose-gc; without it the memory checks
    // below would compare noise.
    const gc = (globalThis as { gc?: () => void }).gc
    expect(gc, 'run vitest with --expose-gc (vitest.config.ts execArgv)').toBeTypeOf('function')
    const listenersBefore = bench.events.listenerCount('device.informed')

    let printed = 0
    const memory: number[] = []
    let runId = ''
    const seen: ((n: number) => void)[] = []
    let ended: string | undefined
    const failed: ((why: Error) => void)[] = []
    bench.events.on('run.finished', ({ run: r }) => {
      if (r.id !== runId) return
      ended = `the listener ended (${r.status}): ${r.error?.message ?? ''}`
      for (const f of failed.splice(0)) f(new Error(ended))
    })
    bench.events.on('run.output', ({ runId: id, lines }: { runId: string; lines: RunOutputLine[] }) => {
      if (id !== runId) return
      for (const l of lines) {
        if (l.stream === 'stdout') printed++
        const m = /^checkpoint (\d+) ([\d.]+)$/.exec(l.text)
        if (l.stream === 'log' && m) memory.push(Number(m[2]))
      }
      for (const f of seen.splice(0)) f(printed)
    })
    // Resolves once the script has printed n lines; fails at once if the run ends first.
    const printedAtLeast = (n: number) =>
      new Promise<void>((resolve, reject) => {
        if (ended) return reject(new Error(ended))
        const check = (p: number) => (p >= n ? resolve() : seen.push(check))
        failed.push(reject)
        check(printed)
      })

    const listening = nextEvent(bench, 'run.waiting', (w) => w.waiting === 'event')
    const [run] = s.runSource({ name: 'listener', source: LISTENER })
    runId = run!.id
    await listening
    expect(bench.events.listenerCount('device.informed')).toBe(listenersBefore)

    // Real Informs: each CPE opens a real CWMP session with a PERIODIC event.
    await Promise.all(
      fleet.cpes.map(async (cpe) => {
        for (let i = 0; i < REAL_INFORMS / fleet.cpes.length; i++) await cpe.inform(['2 PERIODIC'])
      }),
    )
    await printedAtLeast(REAL_INFORMS)

    // Then the bus: the same event the ACS emits for an accepted Inform, for the same devices.
    const devices = fleet.cpes.map((c) => bench.store.devices.get(c.serial)!)
    let heapWarm = 0
    let queuePeak = 0
    const samples: { listeners: number; outputRows: number; outputBytes: number; runs: number }[] = []
    for (let sent = 0; sent < BUS_EVENTS;) {
      for (let i = 0; i < BATCH; i++, sent++)
        bench.events.emit('device.informed', {
          device: devices[sent % devices.length]!,
          events: [{ code: '2 PERIODIC', commandKey: '' }],
        })
      queuePeak = Math.max(queuePeak, s.stats().eventQueues[0]?.size ?? 0)
      await printedAtLeast(REAL_INFORMS + sent)
      if (sent === WARM_UP) {
        // Past the first few thousand, the main thread's code paths are compiled and its caches full.
        gc!()
        heapWarm = process.memoryUsage().heapUsed
      }
      if (sent % 5_000 === 0) {
        const stored = bench.store.db
          .prepare(
            'SELECT count(*) AS n, coalesce(sum(length(CAST(text AS BLOB)) + 1), 0) AS bytes FROM run_output WHERE run_id = ?',
          )
          .get(runId) as { n: number; bytes: number }
        samples.push({
          listeners: bench.events.listenerCount('device.informed'),
          outputRows: stored.n,
          outputBytes: stored.bytes,
          runs: (bench.store.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n,
        })
      }
    }
    await printedAtLeast(REAL_INFORMS + BUS_EVENTS)
    // The main thread's heap while the listener still runs: what it holds for the run is bounded.
    gc!()
    expect(process.memoryUsage().heapUsed - heapWarm).toBeLessThan(2 * 1024 * 1024)

    const live = s.getRun(runId)!
    expect(live.status, live.error?.message).toBe('running')
    // Nothing dropped: every event was printed once.
    expect(printed).toBe(REAL_INFORMS + BUS_EVENTS)
    // The run's event queue held at most a batch and is empty now.
    expect(queuePeak).toBeGreaterThan(0)
    expect(queuePeak).toBeLessThanOrEqual(BATCH)
    expect(s.stats().eventQueues).toEqual([{ runId, size: 0 }])
    for (const sample of samples) {
      expect(sample.listeners).toBe(listenersBefore)
      expect(sample.runs).toBe(1)
      // What is kept of the output stays under the run's limit, however long it runs.
      expect(sample.outputBytes).toBeLessThanOrEqual(live.limits.outputBytes + 1024)
    }
    // The host-call list on the record is capped; the count goes on.
    expect(live.calls.length).toBeLessThanOrEqual(200)
    // One call per event handled (the call waiting now is counted when it returns).
    expect(live.hostCalls).toBe(REAL_INFORMS + BUS_EVENTS)

    // Lua memory (collectgarbage("count") after a collection, which is the run's worker heap):
    // flat from the first checkpoint to the last.
    expect(memory.length).toBe(Math.floor((REAL_INFORMS + BUS_EVENTS) / CHECKPOINT_EVERY))
    const [first, ...rest] = memory
    for (const kb of rest) expect(kb, `Lua memory per checkpoint: ${memory.join(', ')} KiB`).toBeLessThan(first! + 512)

    expect(s.stop(runId)).toBe(true)
    const done = await s.wait(runId)
    expect(done).toMatchObject({ status: 'killed', error: { reason: 'stopped' } })
    // The main thread holds nothing of the run: its heap is back where it was, give or take.
    gc!()
    expect(process.memoryUsage().heapUsed - heapWarm).toBeLessThan(2 * 1024 * 1024)
    // The output kept is the newest, under a line that says how much went before it.
    const kept = s.output(runId, 0, 100_000)
    expect(kept[0]).toMatchObject({ stream: 'system' })
    expect(kept[0]!.text).toMatch(
      /^… \d+ earlier line\(s\), [\d.]+ (KiB|MiB), were dropped: a run keeps its newest 1 MiB of output \(limits\.outputBytes\)$/,
    )
    const keptPrinted = kept.filter((l) => l.stream === 'stdout').length
    const droppedLines = Number(/^… (\d+) /.exec(kept[0]!.text)![1])
    // log lines (the checkpoints) count as output too
    const keptLogs = kept.filter((l) => l.stream === 'log').length
    // Every line the script printed or logged is either kept or counted as dropped…
    expect(droppedLines + keptPrinted + keptLogs).toBe(printed + memory.length)
    // …the newest are kept, and the stop is the last line.
    expect(kept.at(-2)!.text).toMatch(/^CWMP event 2, triggered by device: SOAK00000\d$/)
    expect(kept.at(-1)).toMatchObject({ stream: 'system', text: 'script stopped by the user' })
    expect(done.outputBytes).toBe(kept.reduce((n, l) => n + Buffer.byteLength(l.text) + 1, 0))
    expect(done.outputBytes).toBeLessThanOrEqual(done.limits.outputBytes + 1024)
    // The run's record went to the outbox with the output it kept.
    const synced = bench.store.outbox
      .after(bench.store.outbox.maxSeq() - 10, 10)
      .filter((r) => r.topic === 'run' && r.key === runId)
      .at(-1)!.payload as { status: string; output: string }
    expect(synced.status).toBe('killed')
    expect(synced.output.split('\n').length).toBe(kept.length)

    expect(s.stats().eventQueues).toEqual([])
    expect(bench.events.listenerCount('device.informed')).toBe(listenersBefore)
    expect(bench.events.listenerCount('run.output')).toBe(1)
  })
})
