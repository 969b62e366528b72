import type { BatchProgress, RunRecord } from '../types'

/** Batches that ended are kept this long after, so the UI can show how they ended. */
const ENDED_KEPT = 20

/**
 * Counts each batch's runs as they are queued, start and end, in memory: a batch of 2,000 runs is
 * one row with counts, not 2,000 rows to read. Only this process's runs are counted.
 */
export class BatchCounter {
  private readonly batches = new Map<string, BatchProgress>()

  queued(run: RunRecord): void {
    if (!run.batchId) return
    let b = this.batches.get(run.batchId)
    if (!b) {
      b = {
        batchId: run.batchId,
        scriptId: run.scriptId,
        scriptName: run.scriptName,
        total: 0,
        queued: 0,
        running: 0,
        done: 0,
        failed: 0,
        stopped: 0,
        queuedAt: run.queuedAt,
        endedAt: null,
      }
      this.batches.set(run.batchId, b)
    }
    b.total++
    b.queued++
  }

  started(run: RunRecord): void {
    const b = run.batchId ? this.batches.get(run.batchId) : undefined
    if (!b) return
    b.queued--
    b.running++
  }

  /** After the run's final status is set (startedAt tells whether it had started). */
  ended(run: RunRecord): void {
    const b = run.batchId ? this.batches.get(run.batchId) : undefined
    if (!b) return
    if (run.startedAt === null) b.queued--
    else b.running--
    const reason = run.error?.reason
    if (run.status === 'ok') b.done++
    else if (run.status === 'killed' && (reason === 'stopped' || reason === 'shutdown')) b.stopped++
    else b.failed++
    if (b.queued === 0 && b.running === 0) {
      b.endedAt = run.endedAt ?? Date.now()
      this.trim()
    }
  }

  list(): BatchProgress[] {
    return [...this.batches.values()].map((b) => ({ ...b })).sort((x, y) => y.queuedAt - x.queuedAt)
  }

  private trim(): void {
    const ended = [...this.batches.values()].filter((b) => b.endedAt !== null)
    ended.sort((x, y) => y.endedAt! - x.endedAt!)
    for (const b of ended.slice(ENDED_KEPT)) this.batches.delete(b.batchId)
  }
}
