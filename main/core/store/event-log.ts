import { transactionRunner, type Db } from './db'
import type { OutboxStore } from './outbox'
import type { BodyStore, StoredBody } from './bodies'
import { ulid } from '../ids'
import type { EventQuery, LoggedEvent, NewEvent, PruneSource, Severity } from './types'

/** What a grouped session row changes as the session goes on (EventLogStore.update). */
export interface EventPatch {
  summary?: string
  severity?: Severity
  detail?: unknown
}
import { escapeLike } from './devices'

interface EventRow {
  seq: number
  id: string
  ts: number
  kind: string
  severity: string
  serial: string | null
  summary: string
  detail: string | null
  has_soap: number
  session: string | null
}

interface SoapRow {
  soap_in: string | null
  soap_out: string | null
  soap_in_ref: number | null
  soap_out_ref: number | null
}

const SEVERITIES: Severity[] = ['debug', 'info', 'warn', 'error']

const COLUMNS =
  'seq, id, ts, kind, severity, serial, summary, detail, session, (soap_in_ref IS NOT NULL OR soap_out_ref IS NOT NULL OR soap_in IS NOT NULL OR soap_out IS NOT NULL) AS has_soap'

/** The event log: sessions, CWMP events, RPCs, faults, script output, sync — newest last. */
export class EventLogStore implements PruneSource {
  readonly name = 'events'
  private readonly oldestStmt
  private readonly oldestBatchStmt
  private readonly deleteThroughStmt
  private readonly atomically: <T>(fn: () => T) => T
  private readonly insertStmt
  private readonly getSoapStmt
  private readonly countStmt
  private readonly maxSeqStmt
  private readonly getStmt
  private readonly updateStmt
  private readonly syncedStmt
  private readonly unsyncedStmt
  private readonly holdBodyStmt
  private readonly heldStmt
  private readonly heldThroughStmt
  private readonly dropHeldThroughStmt

  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
    private readonly bodies: BodyStore,
  ) {
    this.atomically = transactionRunner(db)
    this.insertStmt = db.prepare(`
      INSERT INTO events (id, ts, kind, severity, serial, summary, detail, soap_in_ref, soap_out_ref, session, unsynced)
      VALUES (@id, @ts, @kind, @severity, @serial, @summary, @detail, @soapIn, @soapOut, @session, @unsynced)`)
    this.getStmt = db.prepare<[number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE seq = ?`)
    this.updateStmt = db.prepare<[string, string, string | null, number]>(
      'UPDATE events SET summary = ?, severity = ?, detail = ? WHERE seq = ?',
    )
    this.syncedStmt = db.prepare<[number]>('UPDATE events SET unsynced = NULL WHERE seq = ?')
    this.unsyncedStmt = db.prepare<[], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE unsynced IS NOT NULL ORDER BY seq`,
    )
    this.holdBodyStmt = db.prepare<[number, number]>('INSERT INTO event_bodies (seq, ref) VALUES (?, ?)')
    this.heldStmt = db.prepare<[number, number], { n: number }>(
      'SELECT COUNT(*) AS n FROM event_bodies WHERE seq = ? AND ref = ?',
    )
    this.heldThroughStmt = db.prepare<[number], { ref: number }>('SELECT ref FROM event_bodies WHERE seq <= ?')
    this.dropHeldThroughStmt = db.prepare<[number]>('DELETE FROM event_bodies WHERE seq <= ?')
    this.getSoapStmt = db.prepare<[number], SoapRow>(
      'SELECT soap_in, soap_out, soap_in_ref, soap_out_ref FROM events WHERE seq = ?',
    )
    this.oldestStmt = db.prepare<[], { ts: number }>('SELECT ts FROM events ORDER BY seq LIMIT 1')
    // By seq (the primary key), not by ts: the oldest rows are the first ones, and the walk stops
    // at the first row young enough to keep, so a step reads no more than it deletes.
    this.oldestBatchStmt = db.prepare<
      [number],
      { seq: number; ts: number; soap_in_ref: number | null; soap_out_ref: number | null }
    >('SELECT seq, ts, soap_in_ref, soap_out_ref FROM events ORDER BY seq LIMIT ?')
    this.deleteThroughStmt = db.prepare<[number]>('DELETE FROM events WHERE seq <= ?')
    this.countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events')
    this.maxSeqStmt = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM events')
  }

  /** Appends one event and its outbox row in one transaction. */
  append(e: NewEvent): LoggedEvent {
    return this.atomically(() => {
      const ts = e.ts ?? Date.now()
      const id = ulid(ts)
      const severity = e.severity ?? 'info'
      const detailJson = e.detail === undefined ? null : JSON.stringify(e.detail)
      const info = this.insertStmt.run({
        id,
        ts,
        kind: e.kind,
        severity,
        serial: e.serial ?? null,
        summary: e.summary,
        detail: detailJson,
        soapIn: this.body(e.soapIn),
        soapOut: this.body(e.soapOut),
        session: e.session ?? null,
        unsynced: e.deferSync ? 1 : null,
      })
      const logged: LoggedEvent = {
        seq: Number(info.lastInsertRowid),
        id,
        ts,
        kind: e.kind,
        severity,
        serial: e.serial ?? null,
        summary: e.summary,
        detail: e.detail ?? null,
        hasSoap: Boolean(e.soapIn || e.soapOut),
        session: e.session ?? null,
      }
      if (!e.deferSync) this.sync(logged)
      return logged
    })
  }

  /**
   * Changes a row written earlier (a grouped session row as its session goes on); with `sync`, the
   * row as it is now goes to the outbox. Returns the row after the change; undefined when it is
   * gone (pruned).
   */
  update(seq: number, patch: EventPatch, sync = false): LoggedEvent | undefined {
    return this.atomically(() => {
      const row = this.getStmt.get(seq)
      if (!row) return undefined
      const current = toLogged(row)
      const next: LoggedEvent = {
        ...current,
        summary: patch.summary ?? current.summary,
        severity: patch.severity ?? current.severity,
        detail: patch.detail === undefined ? current.detail : patch.detail,
      }
      this.updateStmt.run(next.summary, next.severity, next.detail === null ? null : JSON.stringify(next.detail), seq)
      if (sync) {
        this.sync(next)
        this.syncedStmt.run(seq)
      }
      return next
    })
  }

  /**
   * Rows written with deferSync whose outbox record never came: their session did not end in the
   * ACS that wrote them (it crashed, or lost power). No session is open when the ACS starts, so
   * each is changed by `finish` (said to be cut short) and goes to the outbox as it is then.
   */
  recoverUnsynced(finish: (row: LoggedEvent) => EventPatch): LoggedEvent[] {
    return this.atomically(() =>
      this.unsyncedStmt.all().flatMap((row) => {
        const done = this.update(row.seq, finish(toLogged(row)), true)
        return done ? [done] : []
      }),
    )
  }

  /**
   * Stores a body the row at `seq` holds beyond its own two (a message of a grouped session);
   * returns its reference for the row's detail and messageBody(seq, ref).
   */
  holdBody(seq: number, text: string): number {
    return this.atomically(() => {
      const ref = this.bodies.hold(this.bodies.put(text))
      this.holdBodyStmt.run(seq, ref)
      return ref
    })
  }

  /** One body of a row: its own soapIn/soapOut, or one it holds (holdBody); null when it has no such body. */
  messageBody(seq: number, ref: number): string | null {
    const row = this.getSoapStmt.get(seq)
    if (!row) return null
    if (row.soap_in_ref === ref || row.soap_out_ref === ref || (this.heldStmt.get(seq, ref)?.n ?? 0) > 0)
      return this.bodies.get(ref)
    return null
  }

  /** The outbox record of a row: what a central server keeps of it. */
  private sync(e: LoggedEvent): void {
    this.outbox.append(
      'event',
      e.serial,
      {
        id: e.id,
        ts: e.ts,
        kind: e.kind,
        severity: e.severity,
        serial: e.serial,
        summary: e.summary,
        detail: e.detail,
        ...(e.session ? { session: e.session } : {}),
      },
      e.ts,
    )
  }

  /** A body column's reference: the shared copy, or a new one for text. */
  private body(soap: string | StoredBody | null | undefined): number | null {
    if (!soap) return null
    return this.bodies.hold(typeof soap === 'string' ? this.bodies.put(soap) : soap)
  }

  oldest(): number | null {
    return this.oldestStmt.get()?.ts ?? null
  }

  /** Deletes up to `limit` of the oldest events older than `before`, and the bodies only they held. */
  prune(before: number, limit: number): number {
    return this.atomically(() => {
      let last = -1
      const refs: (number | null)[] = []
      // Iterated, not read whole: a batch with nothing old enough (the age limit, each step of a
      // pass) stops at its first row instead of reading `limit` of them.
      for (const r of this.oldestBatchStmt.iterate(limit)) {
        if (r.ts >= before) break
        last = r.seq
        refs.push(r.soap_in_ref, r.soap_out_ref)
      }
      if (last < 0) return 0
      const n = this.deleteThroughStmt.run(last).changes
      for (const h of this.heldThroughStmt.all(last)) refs.push(h.ref)
      this.dropHeldThroughStmt.run(last)
      this.bodies.release(refs)
      return n
    })
  }

  query(q: EventQuery = {}): LoggedEvent[] {
    const { where, args } = whereClause(q)
    // Tailing (afterSeq) reads oldest first; paging back reads newest first.
    const order = q.afterSeq !== undefined ? 'ASC' : 'DESC'
    const sql = `SELECT ${COLUMNS} FROM events` + where + ` ORDER BY seq ${order} LIMIT ?`
    args.push(Math.min(Math.max(q.limit ?? 200, 1), 10_000))
    return (this.db.prepare(sql).all(...args) as EventRow[]).map(toLogged)
  }

  /** How many events match the query's filters (limit ignored). */
  countMatching(q: EventQuery = {}): number {
    const { where, args } = whereClause(q)
    if (!where) return this.count()
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM events${where}`).get(...args) as { n: number }).n
  }

  /** The SOAP bodies of one event, for the detail pane. */
  soap(seq: number): { soapIn: string | null; soapOut: string | null } | undefined {
    const row = this.getSoapStmt.get(seq)
    if (!row) return undefined
    // Rows written before migration 4 keep their text; newer ones point at a deflated body.
    return {
      soapIn: row.soap_in_ref !== null ? this.bodies.get(row.soap_in_ref) : row.soap_in,
      soapOut: row.soap_out_ref !== null ? this.bodies.get(row.soap_out_ref) : row.soap_out,
    }
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0
  }

  maxSeq(): number {
    return this.maxSeqStmt.get()?.seq ?? 0
  }
}

function whereClause(q: EventQuery): { where: string; args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  if (q.beforeSeq !== undefined) {
    where.push('seq < ?')
    args.push(q.beforeSeq)
  }
  if (q.afterSeq !== undefined) {
    where.push('seq > ?')
    args.push(q.afterSeq)
  }
  if (q.serial) {
    // Substring, case-insensitive (SQLite's LIKE folds ASCII case), as the Devices search. A
    // count scans the (serial, seq) index rather than the table; a page walks seq backwards and
    // stops at its limit.
    where.push("serial LIKE ? ESCAPE '\\'")
    args.push(`%${escapeLike(q.serial)}%`)
  }
  if (q.session) {
    where.push('session = ?')
    args.push(q.session)
  }
  if (q.kinds && q.kinds.length > 0) {
    where.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`)
    args.push(...q.kinds)
  }
  if (q.severity && q.severity !== 'debug') {
    const allowed = SEVERITIES.slice(SEVERITIES.indexOf(q.severity))
    where.push(`severity IN (${allowed.map(() => '?').join(', ')})`)
    args.push(...allowed)
  }
  if (q.text) {
    where.push("summary LIKE ? ESCAPE '\\'")
    args.push(`%${escapeLike(q.text)}%`)
  }
  return { where: where.length ? ` WHERE ${where.join(' AND ')}` : '', args }
}

function toLogged(r: EventRow): LoggedEvent {
  let detail: unknown = null
  if (r.detail !== null) {
    try {
      detail = JSON.parse(r.detail)
    } catch {
      detail = r.detail
    }
  }
  return {
    seq: r.seq,
    id: r.id,
    ts: r.ts,
    kind: r.kind as LoggedEvent['kind'],
    severity: r.severity as Severity,
    serial: r.serial,
    summary: r.summary,
    detail,
    hasSoap: r.has_soap === 1,
    session: r.session,
  }
}
