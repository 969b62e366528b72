import type { Db } from './db'

/** Small key/value settings, JSON-encoded. */
export class SettingsStore {
  private readonly getStmt
  private readonly setStmt
  private readonly delStmt

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    this.setStmt = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    this.delStmt = db.prepare('DELETE FROM settings WHERE key = ?')
  }

  get<T>(key: string): T | undefined
  get<T>(key: string, fallback: T): T
  get<T>(key: string, fallback?: T): T | undefined {
    const row = this.getStmt.get(key)
    if (!row) return fallback
    try {
      return JSON.parse(row.value) as T
    } catch {
      return fallback
    }
  }

  set(key: string, value: unknown): void {
    this.setStmt.run(key, JSON.stringify(value))
  }

  delete(key: string): void {
    this.delStmt.run(key)
  }
}
