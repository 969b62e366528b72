import type { Db } from './db'

/** How the file gives deleted pages back to the disk (PRAGMA auto_vacuum). */
export type VacuumMode = 'none' | 'full' | 'incremental'

const MODES: VacuumMode[] = ['none', 'full', 'incremental']

/** The database file's size and the pragmas that return deleted space to the disk. */
export class StoreSpace {
  constructor(private readonly db: Db) {}

  /** Bytes the database takes: page_count × page_size (the WAL file not included). */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number
    return pages * (this.db.pragma('page_size', { simple: true }) as number)
  }

  /** Bytes of pages freed by deletions and not yet returned to the disk. */
  freeBytes(): number {
    return this.freePages() * (this.db.pragma('page_size', { simple: true }) as number)
  }

  /** Pages freed by deletions and not yet returned to the disk. */
  freePages(): number {
    return this.db.pragma('freelist_count', { simple: true }) as number
  }

  vacuumMode(): VacuumMode {
    return MODES[this.db.pragma('auto_vacuum', { simple: true }) as number] ?? 'none'
  }

  /** Returns up to `pages` free pages to the disk (incremental mode only); one short write. */
  releaseFreePages(pages: number): void {
    if (this.vacuumMode() === 'incremental') this.db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`)
  }

  /**
   * Switches a file made before incremental mode (auto_vacuum NONE) to it: one VACUUM, which
   * rewrites the whole file, holds the database for its duration and needs as much free disk again.
   */
  convertToIncremental(): void {
    if (this.vacuumMode() === 'incremental') return
    this.db.pragma('auto_vacuum = INCREMENTAL')
    this.db.exec('VACUUM')
  }
}
