// The finished runs and the file fetch log as retention prunes them, on a real SQLite file: by age,
// oldest first, in batches, stopping at the first row young enough; queued and running runs stay.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openBenchStore } from '../../main/core/database'
import { FetchLogRetention } from '../../main/core/files/retention'
import { RunRetention } from '../../main/core/scripts/runs/retention'
import type { Store } from '../../main/core/store'

const DAY = 86_400_000
const dirs: string[] = []
const stores: Store[] = []

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function open(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'bench-retention-sources-'))
  dirs.push(dir)
  const store = openBenchStore(join(dir, 'bench.sqlite'))
  stores.push(store)
  return store
}

/** The nth run's id: 26 characters that sort in creation order, as ULIDs do. */
const runId = (n: number) => `R${String(n).padStart(25, '0')}`

/** Run n, `ageDays` old (queued, started and, when finished, ended then), with a line of output when finished. */
function addRun(store: Store, n: number, status: string, ageDays: number): void {
  const at = Date.now() - ageDays * DAY
  const done = status !== 'queued' && status !== 'running'
  store.db
    .prepare(
      `INSERT INTO runs (id, script_name, trigger, status, limits, queued_at, started_at, ended_at)
       VALUES (?, 'probe', 'manual', ?, '{}', ?, ?, ?)`,
    )
    .run(runId(n), status, at, at, done ? at : null)
  if (done)
    store.db
      .prepare(`INSERT INTO run_output (run_id, seq, ts, stream, level, text) VALUES (?, 1, ?, 'stdout', 'info', 'hi')`)
      .run(runId(n), at)
}

function addFetch(store: Store, ageDays: number): void {
  store.db
    .prepare(
      `INSERT INTO file_fetches (name, serial, remote_address, method, range, status, bytes, expected, started_at, duration_ms, outcome)
       VALUES ('fw.bin', 'CPE1', '127.0.0.1', 'GET', NULL, 200, 10, 10, ?, 1, 'complete')`,
    )
    .run(Date.now() - ageDays * DAY)
}

const count = (store: Store, table: string) =>
  (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

describe('retention of runs and the file fetch log', () => {
  it('deletes finished runs past their age with their output, oldest first and in batches', () => {
    const store = open()
    for (let i = 0; i < 30; i++) addRun(store, i, i % 2 ? 'ok' : 'error', 40)
    addRun(store, 30, 'ok', 1)
    addRun(store, 31, 'ok', 40)
    const runs = new RunRetention(store.db)
    const before = Date.now() - 30 * DAY

    expect(runs.prune(before, 10)).toBe(10)
    expect(count(store, 'runs')).toBe(22)
    expect(count(store, 'run_output')).toBe(22)
    // The next batch stops at the first run young enough, even with older ones after it.
    expect(runs.prune(before, 100)).toBe(20)
    expect(runs.prune(before, 100)).toBe(0)
    expect(store.db.prepare('SELECT id FROM runs ORDER BY id').all()).toEqual([{ id: runId(30) }, { id: runId(31) }])
    expect(count(store, 'run_output')).toBe(2)
  })

  it('keeps queued and running runs, however old', () => {
    const store = open()
    addRun(store, 0, 'queued', 40)
    addRun(store, 1, 'running', 40)
    addRun(store, 2, 'ok', 40)
    expect(new RunRetention(store.db).prune(Date.now() - 30 * DAY, 100)).toBe(1)
    expect(store.db.prepare('SELECT status FROM runs ORDER BY id').all()).toEqual([
      { status: 'queued' },
      { status: 'running' },
    ])
  })

  it('deletes fetch log rows past their age, oldest first and in batches', () => {
    const store = open()
    for (let i = 0; i < 25; i++) addFetch(store, 40)
    for (let i = 0; i < 5; i++) addFetch(store, 1)
    const fetches = new FetchLogRetention(store.db)
    const before = Date.now() - 30 * DAY
    expect(fetches.oldest()).toBeLessThan(before)
    expect(fetches.prune(before, 10)).toBe(10)
    expect(fetches.prune(before, 100)).toBe(15)
    expect(fetches.prune(before, 100)).toBe(0)
    expect(count(store, 'file_fetches')).toBe(5)
    expect(fetches.oldest()).toBeGreaterThan(before)
  })
})
