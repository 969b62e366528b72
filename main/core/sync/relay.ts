import type { OutboxStore } from '../store/outbox'
import type { OutboxRow } from '../store/types'
import { describeError } from './errors'
import { retryQuarantined } from './quarantine'
import type { QuarantineEntry, SyncStateStore } from './state'
import type {
  SendOutcome,
  SinkMessage,
  SyncError,
  SyncProgress,
  SyncSink,
  SyncTargetName,
  SyncTargetState,
} from './types'

export interface RelayOptions {
  target: SyncTargetName
  sink: SyncSink
  outbox: OutboxStore
  state: SyncStateStore
  /** Rows read from SQLite per batch: bounds the synchronous work between two yields. */
  batchRows?: number
  /** Batches in flight at once (default 2: the next one is sent while the acks of one come back). */
  depth?: number
  /** Delay before retry n is min·2^(n-1), capped at max, ±20 %. */
  retry?: { minMs: number; maxMs: number }
  /** How often an idle relay looks for new rows when nobody kicks it. */
  idlePollMs?: number
  /** Something in the status changed (the service throttles what it emits). */
  onChange?: () => void
  /** The target started failing, or recovered after failing (for the event log). */
  onTransition?: (kind: 'failing' | 'recovered', error: SyncError | null) => void
  /** A row was set aside because the target can never take it as it is (for the event log). */
  onQuarantine?: (entry: QuarantineEntry) => void
  /** How long stop() waits for acknowledgements already on their way before closing (default 5 s). */
  stopWaitMs?: number
  now?: () => number
}

export interface RelayRunOptions {
  /** Return once everything in the outbox has been sent (sync --once) instead of running until stop(). */
  untilCaughtUp?: boolean
  /** With untilCaughtUp: give up after this many failed attempts in a row. */
  maxFailures?: number
}

const DEFAULT_RETRY = { minMs: 500, maxMs: 30_000 }

interface Batch {
  rows: OutboxRow[]
  messages: SinkMessage[]
  /** Index in rows of each message. */
  rowOf: number[]
  outcomes: Promise<SendOutcome[]>
}

/**
 * Drains the outbox to one target, in order: read a bounded batch after the cursor, send it,
 * wait for the acknowledgements, then move the cursor (in SQLite, in one transaction) over the
 * rows acknowledged without a gap. Messages acknowledged after a failed one are remembered in
 * sync_acked so they are never sent again; the failed ones are retried with back-off. All errors
 * end up in the status; nothing here throws into the rest of the app.
 */
export class Relay {
  readonly target: SyncTargetName
  private readonly sink: SyncSink
  private readonly batchRows: number
  private readonly depth: number
  private readonly retry: { minMs: number; maxMs: number }
  private readonly idlePollMs: number
  private readonly now: () => number

  private cursorSeq: number
  private acked: Map<number, Set<number>>
  private running: Promise<void> | undefined
  private stopping = false
  private pausedFlag = false
  private wake: (() => void) | undefined
  private failing = false
  /** Messages are on the wire: stop() lets their acks arrive (bounded) before closing. */
  private sending = false
  /** Quarantined rows to send again on the next pass. */
  private retryWanted: Set<number> | 'all' | undefined

  /** What the loop is doing; `state` says paused over it while the technician has paused the target. */
  private phase: SyncTargetState = 'idle'
  lastError: SyncError | null
  lastSuccessAt: number | null
  nextRetryAt: number | null = null
  progress: SyncProgress | null = null
  sentSinceStart = 0
  duplicates = 0
  quarantinedSinceStart = 0

  constructor(private readonly options: RelayOptions) {
    this.target = options.target
    this.sink = options.sink
    this.batchRows = options.batchRows ?? 500
    this.depth = Math.max(1, options.depth ?? 2)
    this.retry = options.retry ?? DEFAULT_RETRY
    this.idlePollMs = options.idlePollMs ?? 1000
    this.now = options.now ?? Date.now
    const stored = options.state.load(this.target)
    this.cursorSeq = stored.cursor
    this.acked = stored.acked
    this.lastError = stored.lastError
    this.lastSuccessAt = stored.lastSuccessAt
  }

  get cursor(): number {
    return this.cursorSeq
  }

  get paused(): boolean {
    return this.pausedFlag
  }

  /**
   * Paused while paused, even as an attempt that was under way when Pause was pressed ends (it
   * sends nothing more and schedules no retry); stopped once stopped.
   */
  get state(): SyncTargetState {
    return this.pausedFlag && this.phase !== 'stopped' ? 'paused' : this.phase
  }

  get connected(): boolean {
    return this.sink.connected
  }

  get label(): string {
    return this.sink.label
  }

  get url(): string {
    return this.sink.url
  }

  notes(): string[] {
    return this.sink.notes()
  }

  /** Rows after the cursor; see outboxBacklog. */
  backlog(): number {
    return outboxBacklog(this.options.outbox, this.cursorSeq)
  }

  /** Runs until stop() (or, with untilCaughtUp, until the outbox is drained or failures run out). */
  start(run: RelayRunOptions = {}): Promise<void> {
    this.running ??= this.loop(run).finally(() => {
      this.running = undefined
    })
    return this.running
  }

  /** Skips any wait (idle poll or retry back-off) and looks at the outbox now. */
  kick(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  pause(): void {
    if (this.pausedFlag) return
    this.pausedFlag = true
    this.options.onChange?.()
    // A retry back-off or idle poll under way ends now, so no retry stays scheduled.
    this.kick()
  }

  resume(): void {
    if (!this.pausedFlag) return
    this.pausedFlag = false
    this.options.onChange?.()
    this.kick()
  }

  /** Sends the quarantined rows (all, or the one with this seq) again on the next pass. */
  retryQuarantined(seq?: number): void {
    if (seq === undefined || this.retryWanted === 'all') this.retryWanted = 'all'
    else this.retryWanted = new Set([...(this.retryWanted ?? []), seq])
    this.kick()
  }

  async stop(): Promise<void> {
    this.stopping = true
    this.kick()
    // Acks already on their way are waited for (a bounded time) and recorded before the
    // connection closes: dropped, they would send their rows again on the next start. No new
    // batch is launched once stopping. Closing the sink then fails whatever is still in flight,
    // so the loop does not wait for a publish timeout.
    if (this.sending && this.running) await settledWithin(this.running, this.options.stopWaitMs ?? 5000)
    await this.sink.close().catch(() => {})
    await this.running
    this.setState('stopped')
  }

  private async loop(run: RelayRunOptions): Promise<void> {
    let failures = 0
    while (!this.stopping) {
      if (this.pausedFlag) {
        this.setState('paused')
        await this.sleep(Infinity)
        continue
      }
      try {
        if (!this.sink.connected) {
          this.setState('connecting')
          await this.sink.connect()
        }
        const retried = await this.retryStep()
        const sent = (await this.step()) || retried
        failures = 0
        if (this.failing) {
          this.failing = false
          this.options.onTransition?.('recovered', null)
        }
        if (!sent) {
          this.progress = null
          this.setState('idle')
          if (run.untilCaughtUp) return
          if (!this.pausedFlag) await this.sleep(this.idlePollMs)
        }
      } catch (error) {
        if (this.stopping) return
        failures++
        const { message, hint } = describeError(error, this.sink.label)
        this.lastError = { message, hint, at: this.now() }
        this.options.state.recordError(this.target, this.lastError)
        if (!this.failing) {
          this.failing = true
          this.options.onTransition?.('failing', this.lastError)
        }
        if (this.pausedFlag) {
          // Paused while this attempt was under way: no retry until Resume; the status shows the error.
          this.options.onChange?.()
          continue
        }
        if (run.untilCaughtUp && failures >= (run.maxFailures ?? 3)) {
          this.setState('retrying')
          return
        }
        const delay = this.backoff(failures)
        this.nextRetryAt = this.now() + delay
        this.setState('retrying')
        await this.sleep(delay)
        this.nextRetryAt = null
      }
    }
  }

  /**
   * Sends what is after the cursor, keeping `depth` batches in flight so the next batch is on the
   * wire while the acks of the previous one come back. Batches are acknowledged and committed in
   * order. Returns false when there was nothing to send; throws the first failure (after
   * committing every ack that arrived, so nothing acknowledged is sent again).
   */
  private async step(): Promise<boolean> {
    let readFrom = this.cursorSeq
    const inFlight: Batch[] = []
    const launch = (): boolean => {
      const rows = this.options.outbox.afterJson(readFrom, this.batchRows)
      if (rows.length === 0) return false
      readFrom = rows[rows.length - 1]!.seq
      inFlight.push(this.send(rows))
      return true
    }
    if (this.stopping || !launch()) return false
    if (!this.progress) {
      this.progress = { done: 0, total: this.backlog(), startedAt: this.now(), ratePerSecond: 0 }
    }
    this.setState('sending')
    this.sending = true
    let gap = false
    let firstError: unknown
    try {
      while (inFlight.length > 0) {
        if (!gap && !this.stopping && !this.pausedFlag && inFlight.length < this.depth) launch()
        const batch = inFlight.shift()!
        const outcomes = await batch.outcomes
        const failed = this.commit(batch, outcomes, gap)
        if (failed !== undefined) {
          gap = true
          firstError ??= failed
        }
        // Let the ACS and the UI run between two batches.
        if (inFlight.length > 0) await new Promise<void>((resolve) => setImmediate(resolve))
      }
    } finally {
      this.sending = false
    }
    if (firstError !== undefined) throw firstError
    return true
  }

  /** Sends the quarantined rows a retry was asked for; throws a passing failure (they stay wanted). */
  private async retryStep(): Promise<boolean> {
    const wanted = this.retryWanted
    if (!wanted || this.stopping) return false
    const state = this.options.state
    const entries =
      wanted === 'all'
        ? state.quarantined(this.target)
        : [...wanted].flatMap((seq) => state.quarantined(this.target, seq, 1))
    if (entries.length === 0) {
      this.retryWanted = undefined
      return false
    }
    // Asked for after the server changed (its max_payload raised): judge the rows by its limits now.
    this.setState('connecting')
    await this.sink.refresh?.()
    this.setState('sending')
    this.sending = true
    let result
    try {
      result = await retryQuarantined(this.sink, entries, this.now)
    } finally {
      this.sending = false
    }
    state.settleQuarantine(this.target, result.released, result.refused)
    this.duplicates += result.duplicates
    this.sentSinceStart += result.released.length
    if (result.released.length > 0) this.lastSuccessAt = this.now()
    this.options.onChange?.()
    if (result.error !== undefined) throw result.error
    this.retryWanted = undefined
    return true
  }

  private send(rows: OutboxRow[]): Batch {
    const messages: SinkMessage[] = []
    const rowOf: number[] = []
    rows.forEach((row, index) => {
      const already = this.acked.get(row.seq)
      for (const m of this.sink.plan(row)) {
        if (already?.has(m.part)) continue
        messages.push(m)
        rowOf.push(index)
      }
    })
    return { rows, messages, rowOf, outcomes: messages.length > 0 ? this.sink.send(messages) : Promise.resolve([]) }
  }

  /**
   * Moves the cursor over the batch's rows up to the first one with a failed message (not at all
   * when an earlier batch left a gap) and remembers acks beyond it. Returns the first failure.
   */
  private commit(batch: Batch, outcomes: SendOutcome[], gap: boolean): unknown {
    let firstFailedRow = gap ? -1 : batch.rows.length
    let firstError: unknown
    /** Row index → why the target can never take it: set aside instead of blocking the rest. */
    const refused = new Map<number, unknown>()
    // A message without an outcome counts as failed: only an explicit ack moves the cursor.
    const ok = batch.messages.map((_, i) => outcomes[i]?.ok === true)
    ok.forEach((acked, i) => {
      const o = outcomes[i]
      if (acked) {
        if (o?.ok && o.duplicate) this.duplicates++
        return
      }
      if (o && !o.ok && o.permanent) {
        if (!refused.has(batch.rowOf[i]!)) refused.set(batch.rowOf[i]!, o.error)
        return
      }
      if (firstError === undefined)
        firstError = o && !o.ok ? o.error : new Error('the target gave no answer for a message')
      if (batch.rowOf[i]! < firstFailedRow) firstFailedRow = batch.rowOf[i]!
    })
    const done = Math.max(firstFailedRow, 0)
    const ahead: { seq: number; part: number }[] = []
    ok.forEach((acked, i) => {
      if (!acked) return
      const m = batch.messages[i]!
      let parts = this.acked.get(m.seq)
      if (!parts) this.acked.set(m.seq, (parts = new Set()))
      parts.add(m.part)
      if (batch.rowOf[i]! >= done) ahead.push({ seq: m.seq, part: m.part })
    })
    const now = this.now()
    // Refused rows the cursor passes are set aside, with the parts the target did take.
    const quarantine: QuarantineEntry[] = []
    for (const [index, error] of refused) {
      if (index >= done) continue
      const row = batch.rows[index] as OutboxRow & { payloadJson?: string }
      const { message, hint } = describeError(error, this.sink.label)
      const payloadJson = row.payloadJson ?? JSON.stringify(row.payload)
      const sentParts = [...(this.acked.get(row.seq) ?? [])]
      quarantine.push({ row: { ...row, payloadJson }, reason: message, hint, at: now, sentParts })
    }
    const cursor = done > 0 ? batch.rows[done - 1]!.seq : this.cursorSeq
    if (cursor === this.cursorSeq && ahead.length === 0) return firstError
    this.options.state.commit(this.target, cursor, ahead, now, quarantine)
    if (this.acked.size > 0) for (const seq of this.acked.keys()) if (seq <= cursor) this.acked.delete(seq)
    this.cursorSeq = cursor
    this.lastSuccessAt = now
    if (firstError === undefined) this.lastError = null
    this.sentSinceStart += done - quarantine.length
    this.quarantinedSinceStart += quarantine.length
    for (const q of quarantine) this.options.onQuarantine?.(q)
    if (this.progress) {
      this.progress.done += done
      this.progress.total = Math.max(this.progress.total, this.progress.done)
      const seconds = (now - this.progress.startedAt) / 1000
      this.progress.ratePerSecond = seconds > 0 ? Math.round(this.progress.done / seconds) : 0
    }
    this.options.onChange?.()
    return firstError
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.retry.maxMs, this.retry.minMs * 2 ** Math.min(attempt - 1, 20))
    return Math.round(base * (0.8 + Math.random() * 0.4))
  }

  /** Waits ms (forever with Infinity) or until kick(). */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(resolve, ms) : undefined
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  private setState(phase: SyncTargetState): void {
    const before = this.state
    this.phase = phase
    if (this.state !== before) this.options.onChange?.()
  }
}

/** Resolves when `p` settles or after `ms`, whichever comes first. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([p.catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

/**
 * Rows after a cursor, without a COUNT (tens of ms over a million-row backlog, on the event loop):
 * seqs are assigned without gaps (AUTOINCREMENT) and rows are only deleted from the bottom, below
 * every configured target's cursor, so the rows after a cursor are the seqs between it (or the
 * first row left) and the last one.
 */
export function outboxBacklog(outbox: OutboxStore, cursor: number): number {
  const last = outbox.maxSeq()
  if (last <= cursor) return 0
  return last - Math.max(cursor, outbox.minSeq() - 1)
}
