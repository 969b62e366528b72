import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig, type RetentionConfig } from '../../main/core/config'
import { openBenchStore } from '../../main/core/database'
import { BenchEvents } from '../../main/core/events'
import { Journal } from '../../main/core/journal'
import { BatchSizes, daysMs, RetentionService, type PassSizes } from '../../main/core/retention'
import type { Store } from '../../main/core/store'
import { SyncService } from '../../main/core/sync'
import { SyncStateStore } from '../../main/core/sync/state'

const DAY = 86_400_000
const dirs: string[] = []
const closers: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-retention-'))
  dirs.push(dir)
  return join(dir, 'bench.sqlite')
}

/** A store, its sync service (never started: no relay runs) and retention with these settings. */
function open(file: string, retention: Partial<RetentionConfig>, target?: string, lastActive?: () => number) {
  const store = openBenchStore(file)
  const events = new BenchEvents()
  const journal = new Journal(store, events)
  const sync = new SyncService({ store, events, journal })
  const config = { ...defaultConfig().retention, batchRows: 200, ...retention }
  const service = new RetentionService({
    store,
    config: () => config,
    sources: [{ source: store.events, maxAgeMs: () => daysMs(config.eventsDays) }],
    outbox: { source: sync.outboxRetention(), maxAgeMs: () => daysMs(sync.settings().retentionDays) || 1 },
    report: (s) => sync.reportStorage(s),
    journal,
    ...(lastActive ? { lastActive } : {}),
  })
  closers.push(async () => {
    await service.close()
    await sync.close()
    store.close()
  })
  return { store, sync, service, journal, events, configure: () => target && sync.configure({ nats: { url: target } }) }
}

/** Inform-sized events with SOAP bodies deflate cannot shrink (random), `ageDays` old. */
function fill(store: Store, n: number, ageDays: number, now = Date.now(), detailBytes = 0): void {
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      const ts = now - ageDays * DAY + i
      store.events.append({
        kind: 'inform',
        serial: `SN${i % 50}`,
        ts,
        summary: `Inform ${i}`,
        detail: detailBytes ? { noise: randomBytes(detailBytes).toString('base64') } : undefined,
        soapIn: randomBytes(1500).toString('base64'),
      })
    }
  })
}

/** Every stored body is referenced exactly `refs` times, and nothing points at a missing one. */
function bodiesConsistent(store: Store): void {
  const wrong = store.db
    .prepare(
      `SELECT b.id FROM soap_bodies b WHERE b.refs <>
         (SELECT COUNT(*) FROM events WHERE soap_in_ref = b.id) + (SELECT COUNT(*) FROM events WHERE soap_out_ref = b.id)
         + (SELECT COUNT(*) FROM outbox WHERE body_ref = b.id)`,
    )
    .all()
  expect(wrong).toEqual([])
  const dangling = store.db
    .prepare(
      `SELECT seq FROM events WHERE (soap_in_ref IS NOT NULL AND soap_in_ref NOT IN (SELECT id FROM soap_bodies))
         UNION ALL SELECT seq FROM outbox WHERE body_ref IS NOT NULL AND body_ref NOT IN (SELECT id FROM soap_bodies)`,
    )
    .all()
  expect(dangling).toEqual([])
}

const fileBytes = (store: Store) =>
  (store.db.pragma('page_count', { simple: true }) as number) *
  (store.db.pragma('page_size', { simple: true }) as number)

describe('retention', () => {
  it('never deletes an outbox row a configured target has not acknowledged, and says so when that holds the cap', async () => {
    const file = tempFile()
    const { store, sync, service, configure } = open(file, { maxMb: 1, keepMinutes: 0 }, 'nats://127.0.0.1:1')
    await configure()
    // Synced records as large as the bodies, so the unsent ones alone are over the cap.
    fill(store, 3000, 40, Date.now(), 1000)
    // The target acknowledged the first 1,000 outbox rows, 40 days ago: past every retention.
    const state = new SyncStateStore(store.db)
    state.load('nats')
    state.commit('nats', 1000, [], Date.now())
    const last = store.outbox.maxSeq()
    expect(last).toBe(3000)

    const pass = await service.pass()
    expect(pass.removed.events).toBe(3000)
    expect(pass.removed.outbox).toBe(1000)
    // Every unacknowledged row is still there, untouched, with its payload.
    expect(store.outbox.minSeq()).toBe(1001)
    // (The journal's warning below is one more row after them.)
    expect(
      store.outbox
        .after(1000, 5000)
        .filter((r) => r.seq <= last)
        .map((r) => r.seq),
    ).toEqual(Array.from({ length: 2000 }, (_, i) => 1001 + i))
    expect(store.outbox.after(1000, 1)[0]!.payload).toMatchObject({ summary: 'Inform 1000' })
    // Over the cap with only unsent rows left: the status, the journal and the log say so.
    expect(fileBytes(store)).toBeGreaterThan(1024 * 1024)
    const storage = sync.status().storage!
    expect(storage.blocked).toMatch(/outbox rows not yet acknowledged/)
    const logged = store.events.query({ kinds: ['system'] })
    expect(logged.map((e) => e.summary)).toEqual([storage.blocked])
    // Once the target catches up, the same pass deletes what it acknowledged and the cap holds.
    state.commit('nats', store.outbox.maxSeq(), [], Date.now())
    await service.pass()
    expect(sync.status().storage!.blocked).toBeNull()
    expect(fileBytes(store)).toBeLessThanOrEqual(1024 * 1024)
  })

  it('keeps the file under its cap (page_count × page_size), deleting oldest first and returning pages to the disk', async () => {
    const file = tempFile()
    const { store, service } = open(file, { maxMb: 2, eventsDays: 0, keepMinutes: 0, batchRows: 20 })
    expect(store.space.vacuumMode()).toBe('incremental')
    for (let i = 0; i < 4; i++) fill(store, 1500, 4 - i, Date.now())
    const before = fileBytes(store)
    expect(before).toBeGreaterThan(8 * 1024 * 1024)
    const newest = store.events.maxSeq()

    const pass = await service.pass()
    expect(pass.removed.events).toBeGreaterThan(0)
    expect(pass.steps).toBeGreaterThan(10) // small batches, not one long transaction
    // Down to 90 % of the cap, so that the growth until the next pass stays under it.
    expect(fileBytes(store)).toBeLessThanOrEqual(0.9 * 2 * 1024 * 1024)
    expect(service.status()).toMatchObject({ blocked: null, capBytes: 2 * 1024 * 1024 })
    // Oldest first: what is left is one unbroken run of the newest events.
    const kept = store.events.count()
    expect(kept).toBeGreaterThan(100)
    expect(store.events.query({ limit: 1 })[0]!.seq).toBe(newest)
    expect(store.events.query({ afterSeq: 0, limit: 1 })[0]!.seq).toBe(newest - kept + 1)
    bodiesConsistent(store)
  })

  it('keeps rows younger than keepMinutes even over the cap (the newest state)', async () => {
    const { store, service } = open(tempFile(), { maxMb: 1, eventsDays: 0, keepMinutes: 60 })
    fill(store, 2000, 0)
    const pass = await service.pass()
    expect(pass.removed.events ?? 0).toBe(0)
    expect(store.events.countMatching({ kinds: ['inform'] })).toBe(2000)
    expect(service.status().blocked).toMatch(/only the newest state is left/)
  })

  it('is resumable: a pass cut short after a few steps leaves a consistent file the next start finishes', async () => {
    const file = tempFile()
    const first = open(file, { eventsDays: 30 })
    fill(first.store, 3000, 31)
    fill(first.store, 500, 1)
    for (let i = 0; i < 4; i++) first.service.step()
    const midway = first.store.events.count()
    expect(midway).toBeLessThan(3500)
    expect(midway).toBeGreaterThan(500)
    bodiesConsistent(first.store)
    // No close(): the process dies between two steps (each step is its own transaction).
    first.store.close()

    const second = open(file, { eventsDays: 30 })
    await second.service.pass()
    expect(second.store.events.count()).toBe(500)
    expect(second.store.events.query({ afterSeq: 0, limit: 1 })[0]!.summary).toBe('Inform 0')
    expect(second.store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    bodiesConsistent(second.store)
  })

  it('switches a file made before incremental vacuum, once, when it is small', async () => {
    const file = tempFile()
    const old = open(file, {})
    fill(old.store, 200, 0)
    // As the first releases made it.
    old.store.db.pragma('auto_vacuum = NONE')
    old.store.db.exec('VACUUM')
    expect(old.store.space.vacuumMode()).toBe('none')
    old.store.close()
    const reopened = open(file, { convertBelowMb: 256 })
    reopened.service.start()
    expect(reopened.store.space.vacuumMode()).toBe('incremental')
    expect(reopened.store.events.count()).toBe(200)
  })

  it('while CPEs are active, steps of about a millisecond take a small share of the loop', async () => {
    const file = tempFile()
    // CPEs' requests all the time (the ACS's lastActive), and nothing else on the event loop.
    const { store, service } = open(file, { maxMb: 0, eventsDays: 1, batchRows: 2000 }, undefined, () =>
      performance.now(),
    )
    fill(store, 6000, 3)
    const steps: { rows: number; ms: number }[] = []
    const step = service.step.bind(service)
    service.step = (sizes?: PassSizes) => {
      const rows = sizes?.rows.of('events') ?? 2000
      const started = performance.now()
      const removed = step(sizes)
      steps.push({ rows, ms: performance.now() - started })
      return removed
    }
    const started = performance.now()
    const pass = await service.pass()
    const wall = performance.now() - started
    expect(pass.removed.events).toBe(6000)
    // Each step waited ten times its own duration: without the CPEs it goes on at once (~all of it).
    const stepping = steps.reduce((sum, s) => sum + s.ms, 0)
    expect(stepping / wall).toBeLessThan(0.3)
    // The rows per batch follow the time a batch takes (towards 1 ms), within 10…batchRows.
    const rows = steps.map((s) => s.rows)
    expect(new Set(rows).size).toBeGreaterThan(1)
    expect(Math.min(...rows)).toBeGreaterThanOrEqual(10)
    expect(Math.max(...rows)).toBeLessThanOrEqual(2000)
  })
})

describe('batch sizes', () => {
  it('sizes each source by its own cost per row: cheap outbox batches do not make the next event batch long', () => {
    const sizes = new BatchSizes(() => 300)
    expect(sizes.of('events')).toBe(100)
    // Outbox rows: 100 in 0.25 ms, so 400 would take 1 ms; at most twice as many next time, then the cap.
    sizes.took('outbox', 100, 0.25)
    expect(sizes.of('outbox')).toBe(200)
    sizes.took('outbox', 200, 0.5)
    expect(sizes.of('outbox')).toBe(300)
    // Event rows: 100 in 2 ms; the next batch is halved, towards 50 rows a millisecond.
    sizes.took('events', 100, 2)
    expect(sizes.of('events')).toBe(50)
    sizes.took('events', 50, 1)
    expect(sizes.of('events')).toBe(50)
    expect(sizes.of('outbox')).toBe(300)
    // A batch that deleted nothing (nothing old enough) leaves the size as it was.
    sizes.took('events', 0, 0.01)
    expect(sizes.of('events')).toBe(50)
    // Never fewer than 10 rows, however slow.
    for (let i = 0; i < 10; i++) sizes.took('events', sizes.of('events'), 100)
    expect(sizes.of('events')).toBe(10)
  })
})
