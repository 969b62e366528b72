import type { BenchEvents } from '../../events'
import type { Journal } from '../../journal'
import { describeBytes } from '../../lua/limits'
import type { OutputLine } from '../../lua/protocol'
import type { RunStore } from './store'
import type { RunOutputLine, RunRecord } from '../types'

/** log() lines of one run copied into the app's event log; the rest stay in the run's output. */
const LOG_LINES_JOURNALED = 100

export interface RunOutputDeps {
  runs: RunStore
  events: BenchEvents
  journal: (event: Parameters<Journal['record']>[0]) => void
  log: (level: 'error', message: string) => void
  /** Replaces the secrets of the run's environment (SECRET_MASK) before anything leaves the run. */
  mask?: (text: string) => string
}

/**
 * One run's output: numbers and streams the lines as they arrive (run.output), stores them in
 * batches, and keeps what is stored to the newest limits.outputBytes, so a listener that prints a
 * line per event for days keeps a bounded output, under a line that says what went before it.
 * `record.outputBytes` is what is kept.
 */
export class RunOutput {
  private seq = 0
  private pending: RunOutputLine[] = []
  /** What was dropped so far, and the system line that says so. */
  private dropped: { lines: number; bytes: number; markerSeq?: number } = { lines: 0, bytes: 0 }
  private journaled = 0

  constructor(
    private readonly record: RunRecord,
    private readonly d: RunOutputDeps,
  ) {}

  add(lines: OutputLine[]): void {
    const r = this.record
    const out: RunOutputLine[] = lines.map((l) => ({
      runId: r.id,
      seq: ++this.seq,
      ts: l.ts,
      stream: l.stream,
      ...(l.level ? { level: l.level } : {}),
      text: this.d.mask ? this.d.mask(l.text) : l.text,
    }))
    for (const l of out) r.outputBytes += Buffer.byteLength(l.text) + 1
    this.pending.push(...out)
    this.d.events.emit('run.output', { runId: r.id, lines: out })
    for (const l of out) {
      if (l.stream !== 'log' || this.journaled >= LOG_LINES_JOURNALED) continue
      this.journaled++
      this.d.journal({
        kind: 'script',
        severity: l.level ?? 'info',
        serial: r.targets.length === 1 ? r.targets[0]! : null,
        summary: `${r.scriptName}: ${l.text.slice(0, 500)}${this.journaled === LOG_LINES_JOURNALED ? ' (further log lines of this run are in its output only)' : ''}`,
        detail: { runId: r.id },
      })
    }
  }

  /**
   * Stores the lines that arrived since the last flush. With `final`, the run's record (and so
   * its outbox row) is written in the same transaction as its last lines.
   */
  flush(final = false): void {
    if (this.pending.length === 0 && !final) return
    const r = this.record
    const lines = this.pending
    this.pending = []
    try {
      this.d.runs.transaction(() => {
        this.d.runs.appendOutput(lines)
        if (r.outputBytes > r.limits.outputBytes) this.dropOldest()
        if (final) this.d.runs.update(r)
        else this.d.runs.setOutputBytes(r.id, r.outputBytes)
      })
    } catch (error) {
      this.d.log('error', `cannot store the ${final ? 'end' : 'output'} of run ${r.id}: ${String(error)}`)
    }
  }

  /** Drops the oldest lines down to 3/4 of the limit, so this happens once per quarter of it. */
  private dropOldest(): void {
    const r = this.record
    const max = r.limits.outputBytes
    const before = this.dropped
    const cut = this.d.runs.dropOldestOutput(
      r.id,
      r.outputBytes - Math.floor((max * 3) / 4),
      before.markerSeq,
      (lines, bytes) =>
        `… ${before.lines + lines} earlier line(s), ${describeBytes(before.bytes + bytes)}, were dropped: a run keeps its newest ${describeBytes(max)} of output (limits.outputBytes)`,
    )
    if (!cut) return
    this.dropped = { lines: before.lines + cut.lines, bytes: before.bytes + cut.bytes, markerSeq: cut.seq }
    r.outputBytes += cut.markerBytes - cut.removedBytes
  }
}
