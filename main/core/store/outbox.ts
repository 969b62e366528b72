import type { Db } from './db'
import { decompress, type BodyStore, type StoredBody } from './bodies'
import { transactionRunner } from './db'
import { ulid } from '../ids'
import type { OutboxRow, OutboxTopic } from './types'
import type { SecretRedaction } from './secrets'

interface OutboxDbRow {
  seq: number
  id: string
  site: string
  topic: string
  key: string | null
  payload: string
  created_at: number
  /** The shared body (soap_bodies) when the payload is a stored message; payload is then ''. */
  body_ref: number | null
  body: Buffer | null
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
  private readonly pruneBatchStmt
  private readonly deleteThroughStmt
  private readonly oldestStmt
  private readonly atomically: <T>(fn: () => T) => T

  constructor(
    db: Db,
    private readonly site: () => string,
    private readonly bodies: BodyStore,
    /** Every synced record has its secrets masked (store/secrets.ts). */
    private readonly secrets?: SecretRedaction,
  ) {
    this.atomically = transactionRunner(db)
    this.insertStmt = db.prepare(
      'INSERT INTO outbox (id, site, topic, key, payload, created_at, body_ref) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.afterStmt = db.prepare<[number, number], OutboxDbRow>(
      'SELECT o.*, b.body AS body FROM outbox o LEFT JOIN soap_bodies b ON b.id = o.body_ref WHERE o.seq > ? ORDER BY o.seq LIMIT ?',
    )
    this.maxSeqStmt = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM outbox')
    this.countAfterStmt = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE seq > ?')
    this.countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox')
    this.minSeqStmt = db.prepare<[], { seq: number | null }>('SELECT MIN(seq) AS seq FROM outbox')
    this.pruneBatchStmt = db.prepare<[number, number], { seq: number; created_at: number; body_ref: number | null }>(
      'SELECT seq, created_at, body_ref FROM outbox WHERE seq <= ? ORDER BY seq LIMIT ?',
    )
    this.deleteThroughStmt = db.prepare<[number]>('DELETE FROM outbox WHERE seq <= ?')
    this.oldestStmt = db.prepare<[number], { created_at: number }>(
      'SELECT created_at FROM outbox WHERE seq <= ? ORDER BY seq LIMIT 1',
    )
  }

  /** Call only inside the transaction that writes the data this row describes. */
  append(topic: OutboxTopic, key: string | null, payload: unknown, now = Date.now()): string {
    const id = ulid(now)
    const synced = this.secrets ? this.secrets.record(payload) : payload
    this.insertStmt.run(id, this.site(), topic, key, JSON.stringify(synced), now, null)
    return id
  }

  /**
   * A row whose payload is a stored body (the raw Inform the event log also shows): the outbox
   * points at the one copy instead of holding a second. Read back, the payload is the text.
   */
  appendBody(topic: OutboxTopic, key: string | null, body: StoredBody, now = Date.now()): string {
    const id = ulid(now)
    this.insertStmt.run(id, this.site(), topic, key, '', now, this.bodies.hold(this.syncedBody(body)))
    return id
  }

  /**
   * The body as synced: the stored one, masked already unless the setting keeps stored secrets;
   * then a masked copy when masking changes it.
   */
  private syncedBody(body: StoredBody): StoredBody {
    if (!this.secrets?.keepsStored) return body
    const text = this.bodies.get(body.id)
    if (text === null) return body
    const masked = this.secrets.soap(text)
    return masked === text ? body : this.bodies.putAsIs(masked)
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
   * Deletes up to `limit` of the oldest rows with seq <= throughSeq created before `before` (ms),
   * with the bodies only they held; returns how many. Only sync calls it, with the seq every sync
   * target has acknowledged: a row after it is never deleted here.
   */
  prune(throughSeq: number, before: number, limit: number): number {
    return this.atomically(() => {
      let last = -1
      const refs: (number | null)[] = []
      // Iterated: a batch with nothing old enough stops at its first row (event-log.ts prune).
      for (const r of this.pruneBatchStmt.iterate(throughSeq, limit)) {
        if (r.created_at >= before) break
        last = r.seq
        refs.push(r.body_ref)
      }
      if (last < 0) return 0
      const n = this.deleteThroughStmt.run(last).changes
      this.bodies.release(refs)
      return n
    })
  }

  /** Creation time of the oldest row with seq <= throughSeq; null when there is none. */
  oldestThrough(throughSeq: number): number | null {
    return this.oldestStmt.get(throughSeq)?.created_at ?? null
  }
}

/** The payload as JSON text: a stored body is a JSON string of its text, as appended before migration 4. */
function payloadText(r: OutboxDbRow): string {
  return r.body_ref !== null && r.body ? JSON.stringify(decompress(r.body)) : r.payload
}

function toRow(r: OutboxDbRow): OutboxRow {
  return {
    seq: r.seq,
    id: r.id,
    site: r.site,
    topic: r.topic as OutboxTopic,
    key: r.key,
    payload: JSON.parse(payloadText(r)) as unknown,
    createdAt: r.created_at,
  }
}

function toLazyRow(r: OutboxDbRow): OutboxRow & { payloadJson: string } {
  let parsed: unknown
  let done = false
  const payloadJson = payloadText(r)
  return {
    seq: r.seq,
    id: r.id,
    site: r.site,
    topic: r.topic as OutboxTopic,
    key: r.key,
    createdAt: r.created_at,
    payloadJson,
    get payload() {
      if (!done) {
        parsed = JSON.parse(payloadJson) as unknown
        done = true
      }
      return parsed
    },
  }
}
