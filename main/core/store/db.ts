import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type Db = Database.Database

/** One step of the schema, run once in its own transaction and recorded in schema_migrations. */
export interface Migration {
  version: number
  name: string
  up(db: Db): void
}

export interface OpenOptions {
  /**
   * Path to a better_sqlite3.node built for the running runtime. The Electron shell passes one
   * built against Electron's ABI; plain Node uses the module's own build.
   */
  nativeBinding?: string
  /** The schema: every feature's migrations (main/core/database.ts gathers them). */
  migrations: readonly Migration[]
}

/** Opens (creating if needed) a database file with the pragmas we rely on and runs migrations. */
export function openDatabase(file: string, options: OpenOptions): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  try {
    // Set before the first table exists, this makes a new file give deleted pages back to the disk
    // in small steps (retention's incremental_vacuum); an older file keeps its mode until
    // StoreSpace.convertToIncremental (a VACUUM). It is a no-op on a file that has tables.
    db.pragma('auto_vacuum = INCREMENTAL')
    db.pragma('journal_mode = WAL')
    // NORMAL is durable against application crashes in WAL mode; only an OS crash or power loss
    // can roll back the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // The event log's SOAP bodies push index pages out of the default 2 MB cache; 32 MB keeps the
    // hot indexes resident and nearly doubled single-CPE session throughput (npm run bench -- acs).
    db.pragma('cache_size = -32000')
    db.pragma('temp_store = MEMORY')
    migrate(db, options.migrations)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`)
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  )
  const versions = new Set<number>()
  for (const m of migrations) {
    if (versions.has(m.version)) throw new Error(`duplicate migration version ${m.version} (${m.name})`)
    versions.add(m.version)
  }
  const pending = [...migrations].filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version)
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  for (const m of pending) {
    db.transaction(() => {
      m.up(db)
      record.run(m.version, m.name, Date.now())
    })()
  }
}

export function appliedMigrations(db: Db): { version: number; name: string }[] {
  return db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
    version: number
    name: string
  }[]
}

/**
 * A reusable transaction runner: better-sqlite3 builds a wrapper for every db.transaction() call,
 * which costs more than a small write, so each store keeps one. Nested calls become savepoints.
 */
export function transactionRunner(db: Db): <T>(fn: () => T) => T {
  const tx = db.transaction((fn: () => unknown) => fn())
  return <T>(fn: () => T): T => tx(fn) as T
}
