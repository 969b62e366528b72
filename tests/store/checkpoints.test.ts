// WAL checkpoints in a worker thread (main/core/store/checkpoints.ts), on real SQLite files: the
// worker copies commits into the database file, the main connection no longer does it in its
// commits; a worker that stops hands the job back; closing leaves no WAL behind.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { openBenchStore } from '../../main/core/database'
import type { Store } from '../../main/core/store'
import { startCheckpoints, type Checkpoints } from '../../main/core/store/checkpoints'

const MB = 1024 * 1024
const dirs: string[] = []
const closers: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function open(everyMs = 5, readyWaitMs?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-checkpoints-'))
  dirs.push(dir)
  const file = join(dir, 'bench.sqlite')
  const store = openBenchStore(file)
  const logged: string[] = []
  const checkpoints = await startCheckpoints(store.db, {
    file,
    everyMs,
    ...(readyWaitMs === undefined ? {} : { readyWaitMs }),
    log: (_level, m) => logged.push(m),
  })
  closers.push(async () => {
    await checkpoints.close()
    store.close()
  })
  return { file, store, checkpoints, logged }
}

/** About 1 MB of rows SQLite cannot compress, in one transaction on the main connection. */
function write(store: Store): void {
  store.db.exec('CREATE TABLE IF NOT EXISTS filler (v BLOB)')
  const insert = store.db.prepare('INSERT INTO filler (v) VALUES (?)')
  store.transaction(() => {
    for (let i = 0; i < 64; i++) insert.run(randomBytes(16 * 1024))
  })
}

/** Resolves at the first checkpoint the worker reports after which the database file is over `bytes`. */
function inFile(checkpoints: Checkpoints, file: string, bytes: number): Promise<void> {
  return new Promise((resolve) => {
    const off = checkpoints.onCheckpoint(() => {
      if (statSync(file).size <= bytes) return
      off()
      resolve()
    })
  })
}

const autocheckpoint = (store: Store) => store.db.pragma('wal_autocheckpoint', { simple: true }) as number

describe('WAL checkpoints in a worker thread', () => {
  it('copies each commit into the database file while the main connection only checkpoints past 4,096 pages', async () => {
    const { file, store, checkpoints } = await open()
    expect(checkpoints.running).toBe(true)
    // SQLite's default would checkpoint in a commit every 1,000 pages (4 MB).
    expect(autocheckpoint(store)).toBe(4096)
    for (let i = 1; i <= 3; i++) {
      const done = inFile(checkpoints, file, i * MB)
      write(store)
      // The WAL (a few hundred pages, under both thresholds) reaches the file: only the worker puts it there.
      await done
    }
    expect(checkpoints.stats().complete).toBeGreaterThanOrEqual(1)
  })

  it('hands checkpoints back to the main connection, and says so, when the worker stops', async () => {
    const { store, checkpoints, logged } = await open()
    // The thread dies as a crash would end it.
    await (checkpoints as unknown as { worker: Worker }).worker.terminate()
    expect(checkpoints.running).toBe(false)
    expect(autocheckpoint(store)).toBe(1000)
    expect(logged.join('\n')).toMatch(/checkpoint worker exited.*commits checkpoint the database themselves again/)
  })

  it('does not hold up a start while the worker is not ready: SQLite checkpoints until it is', async () => {
    // No wait at all: start() returns before the thread can have opened the file.
    const { file, store, checkpoints, logged } = await open(5, 0)
    expect(checkpoints.running).toBe(false)
    expect(autocheckpoint(store)).toBe(1000)
    const done = inFile(checkpoints, file, MB)
    write(store)
    // Once ready, the worker takes over (a checkpoint report comes only from a ready worker).
    await done
    expect(checkpoints.running).toBe(true)
    expect(autocheckpoint(store)).toBe(4096)
    expect(logged).toEqual([])
  })

  it('stops the worker on close, so the store closes as the last connection and removes its WAL', async () => {
    const { file, store, checkpoints } = await open()
    write(store)
    expect(existsSync(`${file}-wal`)).toBe(true)
    await checkpoints.close()
    expect(checkpoints.running).toBe(false)
    store.close()
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('leaves an in-memory database to SQLite', async () => {
    const store = openBenchStore(':memory:')
    const checkpoints = await startCheckpoints(store.db, { file: ':memory:' })
    expect(checkpoints.running).toBe(false)
    await checkpoints.close()
    store.close()
  })
})
