import type { Db } from './db'
import { transactionRunner } from './db'

/** Tags per device at most, and a tag's length: set by the technician, kept small for the list. */
export const MAX_TAGS_PER_DEVICE = 32
export const MAX_TAG_LENGTH = 64

/**
 * Tags the technician puts on devices ("customer-42", "returned"): bench-local, filtered on in the
 * device list (DeviceFilter.tag) and matched by profiles. Removed with their device (ON DELETE CASCADE).
 */
export class DeviceTagStore {
  private readonly atomically: <T>(fn: () => T) => T
  private readonly ofStmt
  private readonly addStmt
  private readonly removeStmt
  private readonly countStmt
  private readonly allStmt

  constructor(private readonly db: Db) {
    this.atomically = transactionRunner(db)
    this.ofStmt = db.prepare<[string], { tag: string }>('SELECT tag FROM device_tags WHERE serial = ? ORDER BY tag')
    this.addStmt = db.prepare(
      'INSERT OR IGNORE INTO device_tags (serial, tag) SELECT serial, ? FROM devices WHERE serial = ?',
    )
    this.removeStmt = db.prepare('DELETE FROM device_tags WHERE serial = ? AND tag = ?')
    this.countStmt = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM device_tags WHERE serial = ?')
    this.allStmt = db.prepare<[], { tag: string; devices: number }>(
      'SELECT tag, COUNT(*) AS devices FROM device_tags GROUP BY tag ORDER BY tag',
    )
  }

  /** A device's tags, sorted. */
  of(serial: string): string[] {
    return this.ofStmt.all(serial).map((r) => r.tag)
  }

  /** Every tag in use with how many devices carry it. */
  all(): { tag: string; devices: number }[] {
    return this.allStmt.all()
  }

  /**
   * Tags the known devices among serials, in one transaction; devices already at the cap are left
   * out. How many devices gained the tag.
   */
  add(serials: string[], tag: string): number {
    return this.atomically(() => {
      let added = 0
      for (const serial of serials) {
        if ((this.countStmt.get(serial)?.n ?? 0) >= MAX_TAGS_PER_DEVICE) continue
        added += this.addStmt.run(tag, serial).changes
      }
      return added
    })
  }

  /** How many devices lost the tag. */
  remove(serials: string[], tag: string): number {
    return this.atomically(() => serials.reduce((n, serial) => n + this.removeStmt.run(serial, tag).changes, 0))
  }
}
