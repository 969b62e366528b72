import { transactionRunner, type Db } from './db'
import type { OutboxStore } from './outbox'
import type { BodyStore, StoredBody } from './bodies'
import { ulid } from '../ids'
import type { EventQuery, LoggedEvent, NewEvent, PruneSource, Severity } from './types'
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
}

interface SoapRow {
  soap_in: string | null
  soap_out: string | null
  soap_in_ref: number | null
  soap_out_ref: number | null
}

const SEVERITIES: Severity[] = ['debug', 'info', 'warn', 'error']

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

  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
    private readonly bodies: BodyStore,
  ) {
    this.atomically = transactionRunner(db)
    this.insertStmt = db.prepare(`
      INSERT INTO events (id, ts, kind, severity, serial, summary, detail, soap_in_ref, soap_out_ref)
      VALUES (@id, @ts, @kind, @severity, @serial, @summary, @detail, @soapIn, @soapOut)`)
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
      }
      this.outbox.append(
        'event',
        logged.serial,
        { id, ts, kind: e.kind, severity, serial: logged.serial, summary: e.summary, detail: logged.detail },
        ts,
      )
      return logged
    })
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
      const rows = this.oldestBatchStmt.all(limit)
      let last = -1
      const refs: (number | null)[] = []
      for (const r of rows) {
        if (r.ts >= before) break
        last = r.seq
        refs.push(r.soap_in_ref, r.soap_out_ref)
      }
      if (last < 0) return 0
      const n = this.deleteThroughStmt.run(last).changes
      this.bodies.release(refs)
      return n
    })
  }

  query(q: EventQuery = {}): LoggedEvent[] {
    const { where, args } = whereClause(q)
    // Tailing (afterSeq) reads oldest first; paging back reads newest first.
    const order = q.afterSeq !== undefined ? 'ASC' : 'DESC'
    const sql =
      'SELECT seq, id, ts, kind, severity, serial, summary, detail, (soap_in_ref IS NOT NULL OR soap_out_ref IS NOT NULL OR soap_in IS NOT NULL OR soap_out IS NOT NULL) AS has_soap FROM events' +
      where +
      ` ORDER BY seq ${order} LIMIT ?`
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
    where.push('serial = ?')
    args.push(q.serial)
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
  }
}
