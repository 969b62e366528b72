import { deflateRawSync, inflateRawSync, constants } from 'node:zlib'
import type { Db } from './db'
import type { SecretRedaction } from './secrets'

/**
 * A stored message body: what an event's soapIn/soapOut and an outbox row may share, so the raw
 * Inform is kept once although the event log shows it and the sync outbox sends it.
 */
export interface StoredBody {
  readonly id: number
}

/**
 * SOAP bodies, deflated, reference-counted: each event column and each outbox row that points at a
 * body holds one reference, and the body goes with its last reference (events pruned, outbox rows
 * sent and pruned). Deflate (raw, level 6) because a SOAP envelope shrinks 3–5× and costs tens of
 * microseconds; brotli gains a little more on these sizes at several times the CPU per session.
 */
export class BodyStore {
  private readonly insertStmt
  private readonly refStmt
  private readonly releaseStmt
  private readonly dropStmt
  private readonly getStmt

  constructor(
    db: Db,
    /** Stored bodies have their secrets masked unless a setting keeps them (store/secrets.ts). */
    private readonly secrets?: SecretRedaction,
  ) {
    this.insertStmt = db.prepare<[Buffer]>('INSERT INTO soap_bodies (refs, body) VALUES (0, ?)')
    this.refStmt = db.prepare<[number]>('UPDATE soap_bodies SET refs = refs + 1 WHERE id = ?')
    this.releaseStmt = db.prepare<[number]>('UPDATE soap_bodies SET refs = refs - 1 WHERE id = ?')
    this.dropStmt = db.prepare<[number]>('DELETE FROM soap_bodies WHERE id = ? AND refs <= 0')
    this.getStmt = db.prepare<[number], { body: Buffer }>('SELECT body FROM soap_bodies WHERE id = ?')
  }

  /**
   * Stores a body with no reference yet: call inside the transaction that writes the rows that
   * take references to it (EventLogStore.append, OutboxStore.appendBody), or it stays an orphan.
   */
  put(text: string): StoredBody {
    const kept = this.secrets ? this.secrets.stored(text) : text
    return { id: Number(this.insertStmt.run(compress(kept)).lastInsertRowid) }
  }

  /** Stores a text already masked (a synced copy): no second pass of the setting. */
  putAsIs(text: string): StoredBody {
    return { id: Number(this.insertStmt.run(compress(text)).lastInsertRowid) }
  }

  /** One more row points at the body. */
  hold(body: StoredBody): number {
    this.refStmt.run(body.id)
    return body.id
  }

  /** Rows that pointed at these bodies are gone: drop each body whose last reference went. */
  release(ids: readonly (number | null)[]): void {
    for (const id of ids) {
      if (id === null) continue
      this.releaseStmt.run(id)
      this.dropStmt.run(id)
    }
  }

  get(id: number): string | null {
    const row = this.getStmt.get(id)
    return row ? decompress(row.body) : null
  }
}

export function compress(text: string): Buffer {
  return deflateRawSync(Buffer.from(text, 'utf8'), { level: 6, strategy: constants.Z_DEFAULT_STRATEGY })
}

export function decompress(body: Buffer): string {
  return inflateRawSync(body).toString('utf8')
}
