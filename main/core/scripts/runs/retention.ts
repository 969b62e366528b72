import type { Db, PruneSource } from '../../store'

/**
 * Finished runs and their output (run_output goes with its run: ON DELETE CASCADE), oldest first,
 * for retention (main/core/retention). Queued and running runs are never deleted.
 */
export class RunRetention implements PruneSource {
  readonly name = 'runs'
  private readonly batchStmt
  private readonly deleteStmt

  constructor(private readonly db: Db) {
    // Ids are ULIDs: by id is by creation time, the primary key's order.
    this.batchStmt = db.prepare<[number], { id: string; ended_at: number | null }>(
      `SELECT id, ended_at FROM runs WHERE status NOT IN ('queued', 'running') ORDER BY id LIMIT ?`,
    )
    this.deleteStmt = db.prepare<[string]>('DELETE FROM runs WHERE id = ?')
  }

  oldest(): number | null {
    const [first] = this.batchStmt.all(1)
    return first ? (first.ended_at ?? 0) : null
  }

  prune(before: number, limit: number): number {
    return this.db.transaction(() => {
      // Iterated (it stops at the first run young enough), then deleted: the connection runs one
      // statement at a time.
      const ids: string[] = []
      for (const r of this.batchStmt.iterate(limit)) {
        if ((r.ended_at ?? 0) >= before) break
        ids.push(r.id)
      }
      let n = 0
      for (const id of ids) n += this.deleteStmt.run(id).changes
      return n
    })()
  }
}
