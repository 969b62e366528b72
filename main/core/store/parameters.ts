import { transactionRunner, type Db } from './db'
import type { OutboxStore } from './outbox'
import type { ParameterRecord } from './types'

interface ParameterRow {
  name: string
  value: string | null
  type: string | null
  writable: number | null
  object: number
  updated_at: number
}

/** What a session learnt about one parameter; undefined fields keep their stored value. */
export interface ParameterUpdate {
  name: string
  value?: string
  type?: string
  writable?: boolean
}

/** "A.B.C" → "A.B."; "A.B." → "A."; "A." → "". */
/** Names per "removed" outbox row: a sync message stays far below NATS' default 1 MB max_payload. */
export const REMOVED_PER_ROW = 500

export function parentPath(name: string): string {
  const end = name.endsWith('.') ? name.length - 1 : name.length
  const dot = name.lastIndexOf('.', end - 1)
  return dot < 0 ? '' : name.slice(0, dot + 1)
}

/**
 * The stored parameter tree of each device. Every row has its parent path so one level of the
 * tree can be listed with an index lookup, however large the tree is.
 */
export class ParameterStore {
  private readonly atomically: <T>(fn: () => T) => T
  private readonly upsertStmt
  private readonly getStmt
  private readonly childrenStmt
  private readonly deletePrefixStmt
  private readonly deleteOneStmt
  private readonly countStmt

  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
  ) {
    this.atomically = transactionRunner(db)
    // COALESCE keeps what we knew when a response carries only part of it (GetParameterNames
    // gives writability but no value; GetParameterValues gives value and type but no writability).
    this.upsertStmt = db.prepare(`
      INSERT INTO parameters (serial, name, parent, value, type, writable, object, updated_at)
      VALUES (@serial, @name, @parent, @value, @type, @writable, @object, @now)
      ON CONFLICT (serial, name) DO UPDATE SET
        value = COALESCE(excluded.value, value),
        type = COALESCE(excluded.type, type),
        writable = COALESCE(excluded.writable, writable),
        updated_at = excluded.updated_at`)
    this.getStmt = db.prepare<[string, string], ParameterRow>(
      'SELECT name, value, type, writable, object, updated_at FROM parameters WHERE serial = ? AND name = ?',
    )
    this.childrenStmt = db.prepare<[string, string], ParameterRow>(
      'SELECT name, value, type, writable, object, updated_at FROM parameters WHERE serial = ? AND parent = ? ORDER BY name',
    )
    this.deletePrefixStmt = db.prepare(
      'DELETE FROM parameters WHERE serial = ? AND name >= ? AND name < ? || char(1114111)',
    )
    this.deleteOneStmt = db.prepare('DELETE FROM parameters WHERE serial = ? AND name = ?')
    this.countStmt = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM parameters WHERE serial = ?')
  }

  /**
   * Stores values and metadata in one transaction, creating missing ancestor objects so the tree
   * can always be browsed from its root, and records a parameter snapshot in the outbox.
   * `syncChangedOnly` (an Inform's values, which its raw XML already carries to the server): the
   * snapshot holds only the parameters that are new or whose value or type changed, and there is
   * none when nothing changed — a routine periodic session sends no parameter row.
   */
  upsert(
    serial: string,
    updates: ParameterUpdate[],
    now = Date.now(),
    options: { syncChangedOnly?: boolean } = {},
  ): void {
    if (updates.length === 0) return
    this.atomically(() => {
      const seen = new Set<string>()
      const synced: ParameterUpdate[] = []
      for (const u of updates) {
        if (options.syncChangedOnly) {
          const before = this.getStmt.get(serial, u.name)
          if (
            !before ||
            (u.value !== undefined && u.value !== before.value) ||
            (u.type !== undefined && u.type !== before.type)
          )
            synced.push(u)
        } else synced.push(u)
        this.write(serial, u, now)
        seen.add(u.name)
        for (let p = parentPath(u.name); p !== '' && !seen.has(p); p = parentPath(p)) {
          seen.add(p)
          if (!this.getStmt.get(serial, p)) this.write(serial, { name: p }, now)
        }
      }
      if (synced.length === 0) return
      this.outbox.append(
        'parameters',
        serial,
        {
          serial,
          at: now,
          parameters: synced.map((u) => ({ name: u.name, value: u.value, type: u.type, writable: u.writable })),
        },
        now,
      )
    })
  }

  /**
   * Removes stored parameters in one transaction: an object path (ending in ".", or "" for the
   * whole tree) takes everything below it; any other name exactly that parameter (so "A.Enable"
   * never takes "A.EnableX"). The outbox gets `{ serial, at, removed: [names…] }` rows of at most
   * REMOVED_PER_ROW names, so a large prune stays within a sync message. Returns the rows deleted.
   */
  removeAll(serial: string, names: readonly string[]): number {
    if (names.length === 0) return 0
    return this.atomically(() => {
      const now = Date.now()
      let deleted = 0
      const gone: string[] = []
      for (const name of names) {
        const n =
          name === '' || name.endsWith('.')
            ? this.deletePrefixStmt.run(serial, name, name).changes
            : this.deleteOneStmt.run(serial, name).changes
        if (n > 0) gone.push(name)
        deleted += n
      }
      for (let i = 0; i < gone.length; i += REMOVED_PER_ROW)
        this.outbox.append('parameters', serial, { serial, at: now, removed: gone.slice(i, i + REMOVED_PER_ROW) }, now)
      return deleted
    })
  }

  /** Removes an object and everything below it (DeleteObject, a BOOTSTRAP's reset). */
  removeSubtree(serial: string, prefix: string): number {
    return this.removeAll(serial, [prefix])
  }

  get(serial: string, name: string): ParameterRecord | undefined {
    const row = this.getStmt.get(serial, name)
    return row ? toRecord(row) : undefined
  }

  /** Direct children of an object path ("" for the roots). */
  children(serial: string, parent: string): ParameterRecord[] {
    return this.childrenStmt.all(serial, parent).map(toRecord)
  }

  /** Every stored parameter at or below a path, in name order. */
  subtree(serial: string, prefix: string, limit = -1): ParameterRecord[] {
    return (
      this.db
        .prepare(
          'SELECT name, value, type, writable, object, updated_at FROM parameters WHERE serial = ? AND name >= ? AND name < ? || char(1114111) ORDER BY name LIMIT ?',
        )
        .all(serial, prefix, prefix, limit) as ParameterRow[]
    ).map(toRecord)
  }

  /** Case-insensitive search in names and values. */
  search(serial: string, text: string, limit = 500): ParameterRecord[] {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    return (
      this.db
        .prepare(
          "SELECT name, value, type, writable, object, updated_at FROM parameters WHERE serial = ? AND (name LIKE ? ESCAPE '\\' OR value LIKE ? ESCAPE '\\') ORDER BY name LIMIT ?",
        )
        .all(serial, like, like, limit) as ParameterRow[]
    ).map(toRecord)
  }

  count(serial: string): number {
    return this.countStmt.get(serial)?.n ?? 0
  }

  private write(serial: string, u: ParameterUpdate, now: number): void {
    const object = u.name.endsWith('.')
    this.upsertStmt.run({
      serial,
      name: u.name,
      parent: parentPath(u.name),
      value: object ? null : (u.value ?? null),
      type: object ? null : (u.type ?? null),
      writable: u.writable === undefined ? null : u.writable ? 1 : 0,
      object: object ? 1 : 0,
      now,
    })
  }
}

function toRecord(r: ParameterRow): ParameterRecord {
  return {
    name: r.name,
    value: r.value,
    type: r.type,
    writable: r.writable === null ? null : r.writable === 1,
    object: r.object === 1,
    updatedAt: r.updated_at,
  }
}
