import type { Db } from './db'
import { ulid } from '../ids'
import type { OutboxRow, OutboxTopic } from './types'

interface OutboxDbRow {
  seq: number
  id: string
  site: string
  topic: string
  key: string | null
  payload: string
  created_at: number
}

/**
 * The sync outbox. Rows are appended by the store inside the same transaction as the data they
 * describe, so a record exists in the outbox if and only if its data was committed.
 */
export class OutboxStore {
  private readonly insertStmt
  private readonly afterStmt
  private readonly maxSeqStmt
  private readonly countAfterStmt

  constructor(
    db: Db,
    private readonly site: () => string,
  ) {
    this.insertStmt = db.prepare(
      'INSERT INTO outbox (id, site, topic, key, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.afterStmt = db.prepare<[number, number], OutboxDbRow>(
      'SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    this.maxSeqStmt = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM outbox')
    this.countAfterStmt = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE seq > ?')
  }

  /** Call only inside the transaction that writes the data this row describes. */
  append(topic: OutboxTopic, key: string | null, payload: unknown, now = Date.now()): string {
    const id = ulid(now)
    this.insertStmt.run(id, this.site(), topic, key, JSON.stringify(payload), now)
    return id
  }

  /** Rows after a cursor, oldest first. */
  after(seq: number, limit: number): OutboxRow[] {
    return this.afterStmt.all(seq, limit).map(toRow)
  }

  maxSeq(): number {
    return this.maxSeqStmt.get()?.seq ?? 0
  }

  countAfter(seq: number): number {
    return this.countAfterStmt.get(seq)?.n ?? 0
  }
}

function toRow(r: OutboxDbRow): OutboxRow {
  return {
    seq: r.seq,
    id: r.id,
    site: r.site,
    topic: r.topic as OutboxTopic,
    key: r.key,
    payload: JSON.parse(r.payload) as unknown,
    createdAt: r.created_at,
  }
}
