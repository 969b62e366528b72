import type { Db } from '../store'
import type { SyncError, SyncTargetName } from './types'

interface CursorRow {
  target: string
  seq: number
  last_success_at: number | null
  last_error: string | null
  last_error_hint: string | null
  last_error_at: number | null
}

export interface TargetState {
  cursor: number
  lastSuccessAt: number | null
  lastError: SyncError | null
  /** seq → parts acknowledged beyond the cursor. */
  acked: Map<number, Set<number>>
}

/** The sync tables (sync_cursors, sync_acked): where each target stands in the outbox. */
export class SyncStateStore {
  private readonly getStmt
  private readonly ensureStmt
  private readonly setCursorStmt
  private readonly ackedStmt
  private readonly insertAckedStmt
  private readonly dropAckedStmt
  private readonly successStmt
  private readonly errorStmt

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], CursorRow>('SELECT * FROM sync_cursors WHERE target = ?')
    this.ensureStmt = db.prepare('INSERT INTO sync_cursors (target, seq) VALUES (?, 0) ON CONFLICT (target) DO NOTHING')
    this.setCursorStmt = db.prepare('UPDATE sync_cursors SET seq = ? WHERE target = ?')
    this.ackedStmt = db.prepare<[string], { seq: number; part: number }>(
      'SELECT seq, part FROM sync_acked WHERE target = ?',
    )
    this.insertAckedStmt = db.prepare('INSERT OR IGNORE INTO sync_acked (target, seq, part) VALUES (?, ?, ?)')
    this.dropAckedStmt = db.prepare('DELETE FROM sync_acked WHERE target = ? AND seq <= ?')
    this.successStmt = db.prepare(
      'UPDATE sync_cursors SET last_success_at = ?, last_error = NULL, last_error_hint = NULL, last_error_at = NULL WHERE target = ?',
    )
    this.errorStmt = db.prepare(
      'UPDATE sync_cursors SET last_error = ?, last_error_hint = ?, last_error_at = ? WHERE target = ?',
    )
  }

  /** Where a target stands, without creating its cursor (status of targets that do not run). */
  peek(target: SyncTargetName): Omit<TargetState, 'acked'> | undefined {
    const row = this.getStmt.get(target)
    return row ? toState(row) : undefined
  }

  load(target: SyncTargetName): TargetState {
    this.ensureStmt.run(target)
    const row = this.getStmt.get(target)!
    const acked = new Map<number, Set<number>>()
    for (const a of this.ackedStmt.all(target)) {
      let parts = acked.get(a.seq)
      if (!parts) acked.set(a.seq, (parts = new Set()))
      parts.add(a.part)
    }
    return { ...toState(row), acked }
  }

  /**
   * Records acknowledgements in one transaction: the cursor moves to `cursor` (everything up to
   * it is acknowledged) and `ahead` lists messages acknowledged beyond it.
   */
  commit(target: SyncTargetName, cursor: number, ahead: { seq: number; part: number }[], now: number): void {
    this.db.transaction(() => {
      this.setCursorStmt.run(cursor, target)
      this.dropAckedStmt.run(target, cursor)
      for (const a of ahead) if (a.seq > cursor) this.insertAckedStmt.run(target, a.seq, a.part)
      this.successStmt.run(now, target)
    })()
  }

  recordError(target: SyncTargetName, error: SyncError): void {
    this.ensureStmt.run(target)
    this.errorStmt.run(error.message, error.hint, error.at, target)
  }

  /** The lowest cursor among the given targets: every row up to it has been sent everywhere. */
  minCursor(targets: SyncTargetName[]): number {
    if (targets.length === 0) return 0
    let min = Infinity
    for (const t of targets) {
      this.ensureStmt.run(t)
      min = Math.min(min, this.getStmt.get(t)!.seq)
    }
    return min === Infinity ? 0 : min
  }
}

function toState(row: CursorRow): Omit<TargetState, 'acked'> {
  return {
    cursor: row.seq,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error
      ? { message: row.last_error, hint: row.last_error_hint ?? '', at: row.last_error_at ?? 0 }
      : null,
  }
}
