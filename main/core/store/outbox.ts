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
  private readonly countStmt
  private readonly minSeqStmt
  private readonly pruneStmt

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
    this.countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox')
    this.minSeqStmt = db.prepare<[], { seq: number | null }>('SELECT MIN(seq) AS seq FROM outbox')
    this.pruneStmt = db.prepare<[number, number, number]>(
      'DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE seq <= ? AND created_at < ? ORDER BY seq LIMIT ?)',
    )
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

  /**
   * Rows after a cursor with the payload as stored (JSON text), parsed only when read: the sync
   * relay forwards most payloads as they are.
   */
  afterJson(seq: number, limit: number): (OutboxRow & { payloadJson: string })[] {
    return this.afterStmt.all(seq, limit).map(toLazyRow)
  }

  maxSeq(): number {
    return this.maxSeqStmt.get()?.seq ?? 0
  }

  countAfter(seq: number): number {
    return this.countAfterStmt.get(seq)?.n ?? 0
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0
  }

  minSeq(): number {
    return this.minSeqStmt.get()?.seq ?? 0
  }

  /**
   * Deletes up to `limit` of the oldest rows with seq <= throughSeq created before `before` (ms);
   * returns how many. Only sync calls it, with the seq every sync target has acknowledged.
   */
  prune(throughSeq: number, before: number, limit: number): number {
    return this.pruneStmt.run(throughSeq, before, limit).changes
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

function toLazyRow(r: OutboxDbRow): OutboxRow & { payloadJson: string } {
  let parsed: unknown
  let done = false
  return {
    seq: r.seq,
    id: r.id,
    site: r.site,
    topic: r.topic as OutboxTopic,
    key: r.key,
    createdAt: r.created_at,
    payloadJson: r.payload,
    get payload() {
      if (!done) {
        parsed = JSON.parse(r.payload) as unknown
        done = true
      }
      return parsed
    },
  }
}
