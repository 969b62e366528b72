import type { Db, PruneSource } from '../store'

/** The file fetch log (file_fetches), oldest first, for retention (main/core/retention). */
export class FetchLogRetention implements PruneSource {
  readonly name = 'file fetches'
  private readonly batchStmt
  private readonly deleteStmt

  constructor(db: Db) {
    this.batchStmt = db.prepare<[number], { id: number; started_at: number }>(
      'SELECT id, started_at FROM file_fetches ORDER BY id LIMIT ?',
    )
    this.deleteStmt = db.prepare<[number]>('DELETE FROM file_fetches WHERE id <= ?')
  }

  oldest(): number | null {
    return this.batchStmt.get(1)?.started_at ?? null
  }

  prune(before: number, limit: number): number {
    let last = -1
    // Iterated: a batch with nothing old enough stops at its first row (store/event-log.ts prune).
    for (const r of this.batchStmt.iterate(limit)) {
      if (r.started_at >= before) break
      last = r.id
    }
    return last < 0 ? 0 : this.deleteStmt.run(last).changes
  }
}
