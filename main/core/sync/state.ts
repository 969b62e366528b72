import type { Db } from '../store'
import type { OutboxRow, OutboxTopic } from '../store/types'
import type { QuarantinedRow, SyncError, SyncTargetName } from './types'

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

interface QuarantineDbRow {
  seq: number
  id: string
  site: string
  topic: string
  key: string | null
  payload: string
  created_at: number
  reason: string
  hint: string
  at: number
  attempts: number
  sent_parts: string
}

/** A row to set aside (or set aside again) with why the target refused it. */
export interface QuarantineEntry {
  row: OutboxRow & { payloadJson: string }
  reason: string
  hint: string
  at: number
  /** Parts of the row the target did acknowledge: never sent again. */
  sentParts: number[]
}

/** The sync tables (sync_cursors, sync_acked, sync_quarantine): where each target stands in the outbox. */
export class SyncStateStore {
  private readonly getStmt
  private readonly ensureStmt
  private readonly setCursorStmt
  private readonly ackedStmt
  private readonly insertAckedStmt
  private readonly dropAckedStmt
  private readonly successStmt
  private readonly errorStmt
  private readonly quarantineStmt
  private readonly quarantinedStmt
  private readonly releaseStmt
  private readonly quarantineCountStmt
  private readonly quarantineListStmt

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
    this.quarantineStmt = db.prepare(
      `INSERT INTO sync_quarantine (target, seq, id, site, topic, key, payload, created_at, reason, hint, at, sent_parts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (target, seq) DO UPDATE SET reason = excluded.reason, hint = excluded.hint, at = excluded.at,
         attempts = attempts + 1, sent_parts = excluded.sent_parts`,
    )
    this.quarantinedStmt = db.prepare<[string, number, number, number], QuarantineDbRow>(
      'SELECT * FROM sync_quarantine WHERE target = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?',
    )
    this.releaseStmt = db.prepare('DELETE FROM sync_quarantine WHERE target = ? AND seq = ?')
    this.quarantineCountStmt = db.prepare<[string], { n: number }>(
      'SELECT COUNT(*) AS n FROM sync_quarantine WHERE target = ?',
    )
    this.quarantineListStmt = db.prepare<[string, number], Omit<QuarantineDbRow, 'payload'> & { bytes: number }>(
      `SELECT seq, id, site, topic, key, length(CAST(payload AS BLOB)) AS bytes, created_at, reason, hint, at, attempts,
         sent_parts FROM sync_quarantine WHERE target = ? ORDER BY seq LIMIT ?`,
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
   * it is acknowledged or set aside in `quarantine`) and `ahead` lists messages acknowledged beyond it.
   */
  commit(
    target: SyncTargetName,
    cursor: number,
    ahead: { seq: number; part: number }[],
    now: number,
    quarantine: QuarantineEntry[] = [],
  ): void {
    this.db.transaction(() => {
      this.setCursorStmt.run(cursor, target)
      this.dropAckedStmt.run(target, cursor)
      for (const a of ahead) if (a.seq > cursor) this.insertAckedStmt.run(target, a.seq, a.part)
      for (const q of quarantine) this.putQuarantine(target, q)
      this.successStmt.run(now, target)
    })()
  }

  /** Quarantined rows (all, or the one with this seq), oldest first, as the relay sends them. */
  quarantined(
    target: SyncTargetName,
    seq?: number,
    limit = 500,
  ): { row: OutboxRow & { payloadJson: string }; sentParts: number[] }[] {
    return this.quarantinedStmt.all(target, seq ?? 0, seq ?? Number.MAX_SAFE_INTEGER, limit).map((r) => ({
      row: {
        seq: r.seq,
        id: r.id,
        site: r.site,
        topic: r.topic as OutboxTopic,
        key: r.key,
        createdAt: r.created_at,
        payloadJson: r.payload,
        payload: JSON.parse(r.payload) as unknown,
      },
      sentParts: parts(r.sent_parts),
    }))
  }

  /** After a retry: `released` rows went through; `refused` ones stay, with the new reason. */
  settleQuarantine(target: SyncTargetName, released: number[], refused: QuarantineEntry[]): void {
    this.db.transaction(() => {
      for (const seq of released) this.releaseStmt.run(target, seq)
      for (const q of refused) this.putQuarantine(target, q)
    })()
  }

  /** How many rows are set aside, and the oldest `limit` of them without their payloads (for the status). */
  quarantineSummary(target: SyncTargetName, limit = 20): { count: number; rows: QuarantinedRow[] } {
    const count = this.quarantineCountStmt.get(target)?.n ?? 0
    if (count === 0) return { count, rows: [] }
    const rows = this.quarantineListStmt.all(target, limit).map((r) => ({
      seq: r.seq,
      id: r.id,
      topic: r.topic,
      key: r.key,
      bytes: r.bytes,
      reason: r.reason,
      hint: r.hint,
      at: r.at,
      attempts: r.attempts,
    }))
    return { count, rows }
  }

  private putQuarantine(target: SyncTargetName, q: QuarantineEntry): void {
    const r = q.row
    this.quarantineStmt.run(
      target,
      r.seq,
      r.id,
      r.site,
      r.topic,
      r.key,
      r.payloadJson,
      r.createdAt,
      q.reason,
      q.hint,
      q.at,
      JSON.stringify(q.sentParts),
    )
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

function parts(json: string): number[] {
  const list = JSON.parse(json) as unknown
  return Array.isArray(list) ? list.filter((n): n is number => typeof n === 'number') : []
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
