import type { RetentionConfig } from '../config'
import { errorMessage } from '../errors'
import type { Journal } from '../journal'
import type { PruneSource, Store } from '../store'
import type { StorageStatus } from '../sync/types'

const DAY_MS = 86_400_000
const MB = 1024 * 1024
/**
 * Free pages handed back to the disk per batchRows rows deleted by a step outside a pass, and at
 * most per step in one: a few MB, a short write.
 */
const RELEASE_PAGES = 512
/**
 * What a batch should take: a CWMP request that arrives during one waits this long. A source's
 * rows per batch and the free pages handed back per step follow from it (BatchSizes): on the
 * 2-core development VM about 70 event rows or 300 outbox rows.
 */
const STEP_TARGET_MS = 1
const MIN_BATCH = 10
/** A first batch in a pass, before the cost of one row or page is known. */
const FIRST_BATCH = 100
/** The free pages' key in PassSizes.pages. */
const FREE_PAGES = 'free pages'
/** Pause after a step, in multiples of its duration, while other work is waiting (betweenSteps). */
const PACE = 10
/** Time the event loop took to come back after a step, from which other work counts as waiting. */
const BUSY_MS = 1
const MAX_PAUSE_MS = 1000
/** CPEs count as active this long after their last request. */
const ACTIVE_MS = 1000
/**
 * Once over the cap, a pass deletes down to this share of it: the database keeps growing between
 * passes (a minute by default), and the cap is a ceiling, not where the size sits.
 */
const LOW_WATER = 0.9

/** A source and how old its rows may get (ms; 0: no age limit, only the cap deletes them). */
export interface RetentionEntry {
  source: PruneSource
  maxAgeMs(): number
}

/** The sync outbox as retention sees it: which rows are still owed to a target. */
export interface OutboxRetention extends PruneSource {
  /** Rows not yet acknowledged by every configured target: never deleted. */
  unsent(): number
}

export interface RetentionOptions {
  store: Store
  config: () => RetentionConfig
  /** Events, runs, fetches…; the outbox separately (below). */
  sources: RetentionEntry[]
  outbox: { source: OutboxRetention; maxAgeMs(): number }
  /**
   * When a CWMP request was last being handled (performance.now()): while CPEs are active, a pass
   * takes at most an eleventh of the event loop (betweenSteps).
   */
  lastActive?: () => number
  /** Where the size and a cap that cannot be met go (the sync status). */
  report?: (status: StorageStatus) => void
  journal?: Journal
  log?: (level: 'info' | 'warn', message: string) => void
  now?: () => number
}

export interface RetentionPass {
  /** Rows deleted per source. */
  removed: Record<string, number>
  steps: number
  status: StorageStatus
}

/**
 * Keeps the database bounded: by age per source, then by total size, oldest row first across
 * sources, in steps of a few hundred rows (one short transaction each, the event loop yielded in
 * between), so CWMP sessions are never held up. Stateless: a pass cut short (a crash, close())
 * leaves a consistent database, and the next one goes on where it stopped.
 */
export class RetentionService {
  private timer: ReturnType<typeof setInterval> | undefined
  private running: Promise<RetentionPass> | undefined
  private closed = false
  private blocked: string | null = null
  private last: StorageStatus | null = null
  private lastPass: { at: number; removed: Record<string, number> } | null = null

  constructor(private readonly options: RetentionOptions) {}

  /** Switches an older file to incremental vacuum if small enough, then prunes on a timer. */
  start(): void {
    this.convertIfSmall()
    const every = Math.max(1000, this.options.config().intervalMs)
    this.timer = setInterval(() => void this.pass(), every)
    this.timer.unref?.()
    void this.pass()
  }

  /** Runs one pass now (or joins the one running): steps until nothing is left to delete. */
  pass(): Promise<RetentionPass> {
    this.running ??= this.passNow().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  status(): StorageStatus {
    return this.last ?? this.measure()
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    await this.running?.catch(() => undefined)
  }

  /**
   * One step: a batch per source past its age, then, over the cap's low water mark (LOW_WATER), a
   * batch from the source whose oldest deletable row is oldest; then, outside a pass, some free
   * pages back to the disk. A batch is batchRows rows, or what `sizes` gives (a pass sizes its
   * batches by time, and hands pages back in steps of their own). Returns the rows deleted per
   * source (empty when there was nothing to do).
   */
  step(sizes?: PassSizes): Record<string, number> {
    const config = this.options.config()
    const now = this.options.now?.() ?? Date.now()
    const batchRows = Math.max(1, config.batchRows)
    const removed: Record<string, number> = {}
    let rows = 0
    const prune = (source: PruneSource, before: number) => {
      const limit = Math.min(batchRows, sizes?.rows.of(source.name) ?? batchRows)
      const started = performance.now()
      const n = source.prune(before, limit)
      sizes?.rows.took(source.name, n, performance.now() - started)
      if (n > 0) removed[source.name] = (removed[source.name] ?? 0) + n
      rows += n
    }
    const entries = [...this.options.sources, this.options.outbox]
    for (const e of entries) {
      const age = e.maxAgeMs()
      if (age > 0) prune(e.source, now - age)
    }
    if (config.maxMb > 0 && this.usedBytes() > config.maxMb * MB * LOW_WATER) {
      const floor = now - config.keepMinutes * 60_000
      let pick: PruneSource | undefined
      let pickTs = floor
      for (const e of entries) {
        const ts = e.source.oldest()
        if (ts !== null && ts < pickTs) [pick, pickTs] = [e.source, ts]
      }
      if (pick) prune(pick, floor)
    }
    // A pass hands the pages back in a step of its own (passNow).
    if (rows > 0 && !sizes) this.options.store.space.releaseFreePages(Math.ceil((RELEASE_PAGES * rows) / batchRows))
    return removed
  }

  /**
   * Hands back free pages, as many as take about STEP_TARGET_MS (sizes.pages); returns how many
   * went (none when none were free, or the file is not in incremental mode).
   */
  private release(sizes: PassSizes): number {
    const space = this.options.store.space
    const before = space.freePages()
    if (before === 0) return 0
    const pages = Math.min(before, sizes.pages.of(FREE_PAGES))
    const started = performance.now()
    space.releaseFreePages(pages)
    const released = before - space.freePages()
    sizes.pages.took(FREE_PAGES, released, performance.now() - started)
    return released
  }

  private async passNow(): Promise<RetentionPass> {
    const removed: Record<string, number> = {}
    let steps = 0
    const sizes: PassSizes = {
      rows: new BatchSizes(() => this.options.config().batchRows),
      pages: new BatchSizes(() => RELEASE_PAGES),
    }
    try {
      while (!this.closed) {
        const started = performance.now()
        const r = this.step(sizes)
        const took = performance.now() - started
        steps++
        for (const [k, n] of Object.entries(r)) removed[k] = (removed[k] ?? 0) + n
        if (Object.keys(r).length === 0) break
        await betweenSteps(took, this.lastActive())
        if (this.closed) break
        // What the step freed goes back to the disk in a step of its own, so that neither blocks
        // the event loop for more than about STEP_TARGET_MS.
        const releasing = performance.now()
        this.release(sizes)
        await betweenSteps(performance.now() - releasing, this.lastActive())
      }
      // Deleting is done: hand back what is still free, a step at a time, paced the same way.
      while (!this.closed) {
        const started = performance.now()
        if (this.release(sizes) === 0) break
        await betweenSteps(performance.now() - started, this.lastActive())
      }
    } catch (error) {
      if (!this.closed) this.options.log?.('warn', `retention: could not prune the database: ${errorMessage(error)}`)
    }
    if (!this.closed) this.lastPass = { at: this.options.now?.() ?? Date.now(), removed }
    const status = this.closed ? this.status() : this.measure()
    if (!this.closed) this.announce(status)
    return { removed, steps, status }
  }

  /** When a CWMP request was last handled (performance.now()); long ago without an ACS. */
  private lastActive(): number {
    return this.options.lastActive?.() ?? -Infinity
  }

  /** Bytes in use: the file's pages less the free ones not yet handed back (a file not converted keeps them). */
  private usedBytes(): number {
    return this.options.store.space.sizeBytes() - this.options.store.space.freeBytes()
  }

  private measure(): StorageStatus {
    const config = this.options.config()
    const capBytes = config.maxMb > 0 ? config.maxMb * MB : 0
    const used = this.usedBytes()
    let blocked: string | null = null
    if (capBytes > 0 && used > capBytes) {
      const unsent = this.options.outbox.source.unsent()
      const mb = (b: number) => `${Math.round(b / MB)} MB`
      blocked =
        `The database (${mb(used)}) is over its ${mb(capBytes)} cap: ` +
        (unsent > 0
          ? `${unsent} outbox rows not yet acknowledged by a sync target are kept until they are sent. Check the Sync page; everything else older than ${config.keepMinutes} min is already deleted.`
          : `only the newest state is left (devices, parameters, the last ${config.keepMinutes} min). Raise retention.maxMb.`)
    }
    this.last = { sizeBytes: this.options.store.space.sizeBytes(), capBytes, blocked, lastPass: this.lastPass }
    return this.last
  }

  /** Says so once when the cap cannot be met, and once when it can again; always reports the size. */
  private announce(status: StorageStatus): void {
    this.options.report?.(status)
    if (status.blocked && !this.blocked) {
      this.options.log?.('warn', status.blocked)
      this.options.journal?.recordQuietly({ kind: 'system', severity: 'warn', summary: status.blocked })
    } else if (!status.blocked && this.blocked) {
      const summary = 'The database is under its size cap again.'
      this.options.log?.('info', summary)
      this.options.journal?.recordQuietly({ kind: 'system', summary })
    }
    this.blocked = status.blocked
  }

  private convertIfSmall(): void {
    const space = this.options.store.space
    if (space.vacuumMode() === 'incremental') return
    const size = space.sizeBytes()
    const limit = this.options.config().convertBelowMb * MB
    if (size <= limit) {
      space.convertToIncremental()
      this.options.log?.(
        'info',
        `retention: switched the database (${Math.round(size / MB)} MB) to incremental vacuum.`,
      )
    } else {
      this.options.log?.(
        'warn',
        `retention: the database (${Math.round(size / MB)} MB) predates incremental vacuum; deleted rows are reused but the file does not shrink. Run \`bench-acs serve --vacuum\` once (it needs as much free disk again and a few minutes).`,
      )
    }
  }
}

/** What a pass sizes by time: each source's rows per batch, and the free pages handed back per step. */
export interface PassSizes {
  rows: BatchSizes
  pages: BatchSizes
}

/**
 * Batch sizes, one per kind of work (a source's rows, the free pages), each sized so that a batch
 * takes about STEP_TARGET_MS on this store and machine. A row costs each source differently (an
 * event row several index entries and its bodies, an outbox row far less): one size for all made
 * the event batches that followed outbox ones several times too long, and pages handed back in
 * proportion to the rows took up to 19–38 ms in one step (a pass on 1 GiB, bench/retention.ts).
 */
export class BatchSizes {
  private readonly sizes = new Map<string, number>()

  constructor(private readonly max: () => number) {}

  /** How many the next batch of `kind` should have. */
  of(kind: string): number {
    return this.sizes.get(kind) ?? Math.min(this.max(), FIRST_BATCH)
  }

  /**
   * A batch of `kind` did `done` (rows deleted, pages handed back) in `ms`: the next one aims at
   * STEP_TARGET_MS from that rate, at most ×2 or ÷2 of this one, within MIN_BATCH…max. A batch
   * that did nothing says nothing about the cost of one.
   */
  took(kind: string, done: number, ms: number): void {
    if (done <= 0) return
    const max = Math.max(1, this.max())
    const size = this.of(kind)
    const aim = (done * STEP_TARGET_MS) / Math.max(ms, 0.01)
    const next = Math.round(Math.min(size * 2, Math.max(size / 2, aim)))
    this.sizes.set(kind, Math.max(Math.min(MIN_BATCH, max), Math.min(max, next)))
  }
}

/**
 * Between two steps: the ACS and everything else get the database and the event loop. While CPEs
 * are active (a CWMP request within the last ACTIVE_MS) or other work is waiting (the loop's turn
 * came back late), the pass waits PACE times as long as its step took, so it takes at most an
 * eleventh of the loop, and a request meets a step (STEP_TARGET_MS) on about one turn in eleven. On
 * a quiet bench it goes on at once.
 */
async function betweenSteps(stepMs: number, lastActive: number): Promise<void> {
  const asked = performance.now()
  await new Promise<void>((resolve) => setImmediate(resolve))
  const now = performance.now()
  if (now - asked < BUSY_MS && now - lastActive > ACTIVE_MS) return
  await new Promise<void>((resolve) => setTimeout(resolve, Math.min(stepMs * PACE, MAX_PAUSE_MS)))
}

/** Days to ms; 0 stays 0 (no age limit). */
export function daysMs(days: number): number {
  return days > 0 ? days * DAY_MS : 0
}
