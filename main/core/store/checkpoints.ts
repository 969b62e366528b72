import type { Worker } from 'node:worker_threads'
import { locateWorker, spawnWorker } from '../workers'
import type { Db } from './db'

/** What the checkpoint worker is started with. */
export interface CheckpointWorkerData {
  file: string
  nativeBinding?: string
  everyMs: number
}

/** What it says: opened; a checkpoint it did (CheckpointDone); or why it stopped. */
export type CheckpointReport =
  { kind: 'ready' } | ({ kind: 'checkpoint' } & CheckpointDone) | { kind: 'failed'; message: string }

/**
 * A checkpoint the worker did: the WAL's length in pages, and whether all of it is in the file now
 * (then the next write starts the WAL over).
 */
export interface CheckpointDone {
  walPages: number
  complete: boolean
}

/** SQLite's own default: the main connection checkpoints in a commit once the WAL is this long. */
const SQLITE_DEFAULT_PAGES = 1000
/**
 * While the worker runs, the main connection checkpoints only past this many WAL pages (16 MiB at
 * 4 KiB pages). The WAL starts over only at a write whose transaction began when all of it was
 * copied; a checkpoint holds the lock such a transaction needs (WAL_READ_LOCK(0), sqlite3.c
 * walCheckpoint) while it copies and syncs, and with commits every few ms (CPEs informing) one
 * lands in that time, so the moment rarely comes (measured: with this safety net off, the WAL
 * grew to 135 MB in a 2-minute retention pass and never started over). The WAL grows to this
 * length, and the main connection's checkpoint then copies the few pages the worker had not and
 * starts it over.
 */
const SAFETY_NET_PAGES = 4096
/**
 * How often the worker checkpoints. Often, so each one is small: a checkpoint ends in fsyncs, and
 * while ext4 commits its journal the main thread's own writes to the WAL can wait. Measured with
 * a retention pass and 50 CPEs informing (bench/retention.ts): every 2 s, writes on the main
 * thread stalled up to 170 ms; every 200 ms, 50–80 ms; every 20 ms, about 10 ms. A checkpoint with
 * nothing new to copy costs microseconds.
 */
const EVERY_MS = 20
/** The worker's checkpoint bundle in out/main (electron.vite.config.ts, input "sqlite-checkpoint-worker"). */
const WORKER = { entry: 'checkpoint-worker.ts', bundle: 'sqlite-checkpoint-worker.js' }
/**
 * How long start() waits for the worker to open the file (a bundled worker takes a few ms, one run
 * through tsx about a second). A worker still starting after that does not hold up the bench: the
 * main connection checkpoints as SQLite does by default until the worker is ready.
 */
const READY_WAIT_MS = 5000

export interface CheckpointOptions {
  file: string
  nativeBinding?: string
  /** How often the worker checkpoints (ms); EVERY_MS by default. */
  everyMs?: number
  /** How long start() waits for the worker to be ready (ms); READY_WAIT_MS by default. */
  readyWaitMs?: number
  log?: (level: 'info' | 'warn', message: string) => void
}

/**
 * Runs the database's WAL checkpoints in a worker thread on a connection of its own. SQLite's
 * default runs one inside whichever commit takes the WAL past 1,000 pages, on the main thread: a
 * CWMP session's commit then waits for megabytes to be copied and synced (tens of ms, the tail of
 * the sessions' latency, and much of what a retention pass cost them). A PASSIVE checkpoint in the
 * worker never blocks writers. If the worker cannot start or stops, the main connection goes back
 * to checkpointing as before, and the log says so once.
 */
export class Checkpoints {
  private worker: Worker | undefined
  private ready = false
  private counts = { checkpoints: 0, complete: 0 }
  private readonly listeners = new Set<(report: CheckpointDone) => void>()

  constructor(
    private readonly db: Db,
    private readonly options: CheckpointOptions,
  ) {}

  /**
   * Starts the worker; resolves once it has the file open, has given up (the main thread
   * checkpointing), or readyWaitMs has passed (it takes over the checkpoints when it is ready).
   */
  start(): Promise<void> {
    if (this.options.file === ':memory:') return Promise.resolve()
    let worker: Worker
    try {
      const data: CheckpointWorkerData = {
        file: this.options.file,
        everyMs: this.options.everyMs ?? EVERY_MS,
        ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      }
      worker = spawnWorker(locateWorker(import.meta.url, WORKER), { maxOldGenerationSizeMb: 64 }, data)
    } catch (error) {
      this.fallBack(`cannot start the SQLite checkpoint worker: ${(error as Error).message}`)
      return Promise.resolve()
    }
    worker.unref()
    this.worker = worker
    const settled = new Promise<void>((resolve) => {
      worker.on('message', (report: CheckpointReport) => {
        if (report.kind === 'ready') {
          // Stopped (close()) before it was ready: the main connection keeps the checkpoints.
          if (this.worker !== worker || !this.db.open) return
          this.ready = true
          this.db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`)
          resolve()
        } else if (report.kind === 'checkpoint') {
          this.counts.checkpoints++
          if (report.complete) this.counts.complete++
          for (const listener of this.listeners) listener({ walPages: report.walPages, complete: report.complete })
        } else {
          this.gone(worker, `the SQLite checkpoint worker stopped: ${report.message}`)
          resolve()
        }
      })
      worker.on('error', (error) => {
        this.gone(worker, `the SQLite checkpoint worker failed: ${error.message}`)
        resolve()
      })
      worker.on('exit', (code) => {
        this.gone(worker, `the SQLite checkpoint worker exited (code ${code})`)
        resolve()
      })
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.readyWaitMs ?? READY_WAIT_MS)
      timer.unref?.()
    })
    return Promise.race([settled, waited]).finally(() => clearTimeout(timer))
  }

  /** True while the worker does the checkpoints (from when it has the file open). */
  get running(): boolean {
    return this.worker !== undefined && this.ready
  }

  /** Checkpoints the worker has done (after new commits), and how many left nothing to copy. */
  stats(): { checkpoints: number; complete: number } {
    return { ...this.counts }
  }

  /** Calls `listener` after each checkpoint the worker reports; returns the unsubscribe. */
  onCheckpoint(listener: (report: CheckpointDone) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops the worker (before the store closes: its last connection then checkpoints the WAL away). */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    this.ready = false
    if (!worker) return
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    // Unreferenced, the thread would not keep the process alive until it has closed its connection.
    worker.ref()
    worker.postMessage('stop')
    await exited
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`)
  }

  private gone(worker: Worker, why: string): void {
    // Not the running worker any more: close() stopped it, or it was already reported gone.
    if (this.worker !== worker) return
    this.worker = undefined
    this.ready = false
    this.fallBack(why)
  }

  private fallBack(why: string): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`)
    this.options.log?.('warn', `${why}; commits checkpoint the database themselves again (sessions may be slower).`)
  }
}

/** Starts the checkpoint worker for `db` (see Checkpoints). */
export async function startCheckpoints(db: Db, options: CheckpointOptions): Promise<Checkpoints> {
  const checkpoints = new Checkpoints(db, options)
  await checkpoints.start()
  return checkpoints
}
