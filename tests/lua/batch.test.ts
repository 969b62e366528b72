import { afterEach, describe, expect, it } from 'vitest'
import { startBench, type TestBench } from './helpers'
import { createApiService } from '../../main/api'

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

/** Devices in the store only: the script below never talks to them. */
function devices(bench: TestBench['bench'], n: number, prefix = 'BATCH'): string[] {
  const serials = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`)
  bench.store.transaction(() => serials.forEach((s) => bench.store.devices.upsert(s, {})))
  return serials
}

describe('a run on many devices is one batch', () => {
  it('stopBatch ends the queued runs at once and stops the running ones, leaving other runs alone', async () => {
    t = await startBench({ scripts: { maxConcurrentRuns: 3 } })
    const bench = t.bench
    const script = bench.scripts.create({ name: 'sleeper', source: 'sleep(60000)' })
    const serials = devices(bench, 200)
    const other = bench.scripts.run(script.id, { target: { kind: 'devices', serials: [serials[0]!] } })[0]!
    const runs = bench.scripts.run(script.id, { target: { kind: 'devices', serials } })
    const batchId = runs[0]!.batchId!
    expect(new Set(runs.map((r) => r.batchId))).toEqual(new Set([batchId]))
    await expect.poll(() => bench.scripts.stats().running).toBe(3)
    const started: string[] = []
    bench.events.on('run.started', (e) => e.run.status === 'running' && started.push(e.run.id))

    expect(bench.scripts.batches()[0]).toMatchObject({ batchId, total: 200, running: 2, queued: 198, done: 0 })
    expect(bench.scripts.stopBatch(batchId)).toBe(200)

    const ended = await Promise.all(runs.map((r) => bench.scripts.wait(r.id)))
    expect(ended.every((r) => r.status === 'killed' && r.error?.reason === 'stopped')).toBe(true)
    // None of the queued runs started while the running ones were being stopped.
    expect(started).toEqual([])
    expect(bench.scripts.getRun(other.id)?.status).toBe('running')
    expect(bench.scripts.batches()[0]).toMatchObject({ batchId, total: 200, stopped: 200, queued: 0, running: 0 })
    expect(bench.scripts.batches()[0]!.endedAt).not.toBeNull()
    expect(bench.scripts.stopBatch(batchId)).toBe(0)
  })

  it('counts done and failed runs, and the API carries stopBatch and batches', async () => {
    t = await startBench({ scripts: { maxConcurrentRuns: 4 } })
    const bench = t.bench
    const api = createApiService(bench, { shell: 'browser', version: 'test' })
    const script = bench.scripts.create({ name: 'odd fails', source: 'if DEVICE:sub(-1) == "1" then error("odd") end' })
    const serials = devices(bench, 6, 'CNT')
    const runs = bench.scripts.run(script.id, { target: { kind: 'devices', serials } })
    await Promise.all(runs.map((r) => bench.scripts.wait(r.id)))
    const reply = await api.call('scripts.batches', [])
    expect(reply).toMatchObject({ ok: true, value: [{ total: 6, done: 5, failed: 1, queued: 0, running: 0 }] })
    expect(await api.call('scripts.stopBatch', [runs[0]!.batchId])).toEqual({ ok: true, value: 0 })
    expect(await api.call('scripts.stopBatch', [''])).toMatchObject({ ok: false })
    await api.close()
  })

  it('closing the runtime ends 2,000 queued runs as stopped by the shutdown, none of them started', async () => {
    t = await startBench({ scripts: { maxConcurrentRuns: 2 } })
    const bench = t.bench
    const script = bench.scripts.create({ name: 'sleeper', source: 'sleep(60000)' })
    const runs = bench.scripts.run(script.id, { target: { kind: 'devices', serials: devices(bench, 2000) } })
    await expect.poll(() => bench.scripts.stats().running).toBe(2)
    let started = 0
    bench.events.on('run.started', (e) => e.run.status === 'running' && started++)
    await bench.scripts.close()
    expect(started).toBe(0)
    const stored = runs.map((r) => bench.scripts.getRun(r.id)!)
    expect(stored.every((r) => r.status === 'killed' && r.error?.reason === 'shutdown')).toBe(true)
  }, 60_000)
})
