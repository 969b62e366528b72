import type { Statement } from 'better-sqlite3'
import type { Db } from '../store'
import type { FileFetch, LibraryFile } from './types'

/** A library row with what only the server and the Download builder see. */
export interface StoredFile extends LibraryFile {
  blob: string
  password: string
}

interface FileRow {
  name: string
  blob: string
  file_type: string
  size: number
  sha256: string
  version: string
  product_class: string
  description: string
  owner_serial: string | null
  username: string
  password: string
  added_at: number
  downloads: number
}

const toFile = (r: FileRow): StoredFile => ({
  name: r.name,
  blob: r.blob,
  fileType: r.file_type,
  size: r.size,
  sha256: r.sha256,
  version: r.version,
  productClass: r.product_class,
  description: r.description,
  ownerSerial: r.owner_serial,
  username: r.username,
  password: r.password,
  addedAt: r.added_at,
  downloads: r.downloads,
})

/** Without the password: what leaves the core. */
export function publicView(f: StoredFile): LibraryFile {
  const { blob: _b, password: _p, ...view } = f
  return view
}

export interface Grant {
  token: string
  name: string
  serial: string
  commandKey: string
  expiresAt: number
}

export interface UploadSlot {
  token: string
  serial: string
  commandKey: string
  fileType: string
  expiresAt: number
  fileName: string | null
}

/** Fetch log rows kept; older ones are dropped as new ones come. */
const KEEP_FETCHES = 10_000

/** The SQL of the library's tables (migrations 40–49). Nothing else writes them. */
export class FileStore {
  /** Statements every fetch runs, compiled once. */
  private readonly hot: {
    get: Statement
    grant: Statement
    log: Statement
    count: Statement
  }

  constructor(private readonly db: Db) {
    this.hot = {
      get: db.prepare('SELECT * FROM library_files WHERE name = ?'),
      grant: db.prepare('SELECT * FROM file_grants WHERE token = ? AND expires_at >= ?'),
      log: db.prepare(
        `INSERT INTO file_fetches (name, serial, remote_address, method, range, status, bytes, expected, started_at,
           duration_ms, outcome)
         VALUES (@name, @serial, @remoteAddress, @method, @range, @status, @bytes, @expected, @startedAt,
           @durationMs, @outcome)`,
      ),
      count: db.prepare('UPDATE library_files SET downloads = downloads + 1 WHERE name = ?'),
    }
  }

  get(name: string): StoredFile | undefined {
    const row = this.hot.get.get(name) as FileRow | undefined
    return row && toFile(row)
  }

  list(): StoredFile[] {
    return (this.db.prepare('SELECT * FROM library_files ORDER BY added_at DESC, name').all() as FileRow[]).map(toFile)
  }

  /** Firmware images for a product class (and those for any), newest first. */
  firmware(productClass: string, version: string): StoredFile[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM library_files WHERE file_type = '1 Firmware Upgrade Image' AND version = ?
           AND (product_class = ? OR product_class = '') AND owner_serial IS NULL
           ORDER BY product_class = '' , added_at DESC`,
        )
        .all(version, productClass) as FileRow[]
    ).map(toFile)
  }

  insert(f: StoredFile): void {
    this.db
      .prepare(
        `INSERT INTO library_files (name, blob, file_type, size, sha256, version, product_class, description,
           owner_serial, username, password, added_at, downloads)
         VALUES (@name, @blob, @fileType, @size, @sha256, @version, @productClass, @description,
           @ownerSerial, @username, @password, @addedAt, 0)`,
      )
      .run(f)
  }

  /** Removes a file and every grant to it; returns the removed row. */
  remove(name: string): StoredFile | undefined {
    const f = this.get(name)
    if (!f) return undefined
    this.db.prepare('DELETE FROM library_files WHERE name = ?').run(name)
    this.db.prepare('DELETE FROM file_grants WHERE name = ?').run(name)
    return f
  }

  /** Logs finished fetches (one transaction for all of them: fetches end in bursts). */
  logFetches(fetches: { fetch: Omit<FileFetch, 'id'>; countsAsDownload: boolean }[]): void {
    this.db.transaction(() => {
      for (const { fetch, countsAsDownload } of fetches) {
        const id = Number(this.hot.log.run(fetch).lastInsertRowid)
        if (countsAsDownload) this.hot.count.run(fetch.name)
        if (id % 100 === 0) this.db.prepare('DELETE FROM file_fetches WHERE id <= ?').run(id - KEEP_FETCHES)
      }
    })()
  }

  fetches(name?: string, limit = 200): FileFetch[] {
    const rows = (
      name === undefined
        ? this.db.prepare('SELECT * FROM file_fetches ORDER BY id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM file_fetches WHERE name = ? ORDER BY id DESC LIMIT ?').all(name, limit)
    ) as Record<string, unknown>[]
    return rows.map((r) => ({
      id: r.id as number,
      name: r.name as string,
      serial: r.serial as string | null,
      remoteAddress: r.remote_address as string,
      method: r.method as FileFetch['method'],
      range: r.range as string | null,
      status: r.status as number,
      bytes: r.bytes as number,
      expected: r.expected as number,
      startedAt: r.started_at as number,
      durationMs: r.duration_ms as number,
      outcome: r.outcome as FileFetch['outcome'],
    }))
  }

  addGrant(g: Grant, now: number): void {
    this.db.prepare('DELETE FROM file_grants WHERE expires_at < ?').run(now)
    this.db
      .prepare(
        `INSERT INTO file_grants (token, name, serial, command_key, created_at, expires_at)
         VALUES (@token, @name, @serial, @commandKey, ${now}, @expiresAt)`,
      )
      .run(g)
  }

  grant(token: string, now: number): Grant | undefined {
    const r = this.hot.grant.get(token, now) as Record<string, unknown> | undefined
    return (
      r && {
        token: r.token as string,
        name: r.name as string,
        serial: r.serial as string,
        commandKey: r.command_key as string,
        expiresAt: r.expires_at as number,
      }
    )
  }

  addSlot(s: Omit<UploadSlot, 'fileName'>, now: number): void {
    this.db.prepare('DELETE FROM upload_slots WHERE expires_at < ?').run(now)
    this.db
      .prepare(
        `INSERT INTO upload_slots (token, serial, command_key, file_type, created_at, expires_at)
         VALUES (@token, @serial, @commandKey, @fileType, ${now}, @expiresAt)`,
      )
      .run(s)
  }

  slot(token: string): UploadSlot | undefined {
    const r = this.db.prepare('SELECT * FROM upload_slots WHERE token = ?').get(token) as
      Record<string, unknown> | undefined
    return r && toSlot(r)
  }

  /** The upload of a transfer, by its device and CommandKey (the newest). */
  slotOf(serial: string, commandKey: string): UploadSlot | undefined {
    const r = this.db
      .prepare('SELECT * FROM upload_slots WHERE serial = ? AND command_key = ? ORDER BY created_at DESC LIMIT 1')
      .get(serial, commandKey) as Record<string, unknown> | undefined
    return r && toSlot(r)
  }

  /** Marks the slot used by this file; false if it was used already (one upload per slot). */
  useSlot(token: string, fileName: string): boolean {
    return (
      this.db
        .prepare('UPDATE upload_slots SET file_name = ? WHERE token = ? AND file_name IS NULL')
        .run(fileName, token).changes === 1
    )
  }

  /** A transfer completed: its grants end (its slot stays, to say what landed). */
  transferDone(serial: string, commandKey: string): void {
    this.db.prepare('DELETE FROM file_grants WHERE serial = ? AND command_key = ?').run(serial, commandKey)
  }
}

function toSlot(r: Record<string, unknown>): UploadSlot {
  return {
    token: r.token as string,
    serial: r.serial as string,
    commandKey: r.command_key as string,
    fileType: r.file_type as string,
    expiresAt: r.expires_at as number,
    fileName: r.file_name as string | null,
  }
}
