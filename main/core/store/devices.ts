import type { Statement } from 'better-sqlite3'
import { transactionRunner, type Db } from './db'
import type { OutboxStore } from './outbox'
import { DeviceStatus, type DeviceRecord } from './types'

interface DeviceRow {
  serial: string
  oui: string
  product_class: string
  manufacturer: string
  model: string
  software_version: string
  hardware_version: string
  alias: string
  ip: string
  cwmp_version: string
  data_model: string
  cr_url: string
  cr_username: string
  cr_password: string
  periodic_inform_interval: number | null
  first_seen: number
  last_inform: number | null
  last_boot: number | null
  status: number
}

/** Fields a session may learn about a device; anything omitted is left as stored. */
export type DevicePatch = Partial<Omit<DeviceRecord, 'serial' | 'firstSeen'>>

const COLUMNS: Record<keyof DevicePatch, keyof DeviceRow> = {
  oui: 'oui',
  productClass: 'product_class',
  manufacturer: 'manufacturer',
  model: 'model',
  softwareVersion: 'software_version',
  hardwareVersion: 'hardware_version',
  alias: 'alias',
  ip: 'ip',
  cwmpVersion: 'cwmp_version',
  dataModel: 'data_model',
  connectionRequestUrl: 'cr_url',
  connectionRequestUsername: 'cr_username',
  connectionRequestPassword: 'cr_password',
  periodicInformInterval: 'periodic_inform_interval',
  lastInform: 'last_inform',
  lastBoot: 'last_boot',
  status: 'status',
}

export interface DeviceFilter {
  /** Case-insensitive substring of serial, alias, model, manufacturer, software version or IP. */
  text?: string
  status?: DeviceStatus
  /** Only these serials (e.g. the devices in a session right now). */
  serials?: string[]
  /** Only devices with this tag (store/tags.ts). */
  tag?: string
  limit?: number
  offset?: number
  /** Sort column (default serial); ties are broken by serial. */
  sort?: DeviceSort
  descending?: boolean
}

export const DEVICE_SORTS = [
  'serial',
  'manufacturer',
  'model',
  'softwareVersion',
  'ip',
  'status',
  'lastInform',
] as const
export type DeviceSort = (typeof DEVICE_SORTS)[number]
const SORT_COLUMNS: Record<DeviceSort, string> = {
  serial: 'serial',
  manufacturer: 'manufacturer',
  model: 'model',
  softwareVersion: 'software_version',
  ip: 'ip',
  status: 'status',
  lastInform: 'last_inform',
}

export class DeviceStore {
  private readonly atomically: <T>(fn: () => T) => T
  private readonly getStmt
  private readonly insertStmt
  private readonly countStmt
  private readonly deleteStmt
  private readonly updateCache = new Map<string, Statement<unknown[]>>()

  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
  ) {
    this.atomically = transactionRunner(db)
    this.getStmt = db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE serial = ?')
    this.insertStmt = db.prepare('INSERT INTO devices (serial, first_seen, status) VALUES (?, ?, 0)')
    this.countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM devices')
    this.deleteStmt = db.prepare('DELETE FROM devices WHERE serial = ?')
  }

  get(serial: string): DeviceRecord | undefined {
    const row = this.getStmt.get(serial)
    return row ? toRecord(row) : undefined
  }

  /** All devices, or those matching the filter's text and status (limit and offset ignored). */
  count(filter?: DeviceFilter): number {
    if (!filter || (!filter.text && filter.status === undefined && filter.serials === undefined && !filter.tag))
      return this.countStmt.get()?.n ?? 0
    const { where, args } = whereClause(filter)
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM devices${where}`).get(...args) as { n: number }).n
  }

  list(filter: DeviceFilter = {}): DeviceRecord[] {
    const { where, args } = whereClause(filter)
    const column = SORT_COLUMNS[filter.sort ?? 'serial'] ?? 'serial'
    const direction = filter.descending ? 'DESC' : 'ASC'
    const order = column === 'serial' ? `serial ${direction}` : `${column} ${direction}, serial`
    const sql = `SELECT * FROM devices${where} ORDER BY ${order} LIMIT ? OFFSET ?`
    return (this.db.prepare(sql).all(...args, filter.limit ?? -1, filter.offset ?? 0) as DeviceRow[]).map(toRecord)
  }

  /** The serials of every device the filter matches, in its order (selection by filter). */
  serialsOf(filter: DeviceFilter = {}): string[] {
    const { where, args } = whereClause(filter)
    const column = SORT_COLUMNS[filter.sort ?? 'serial'] ?? 'serial'
    const direction = filter.descending ? 'DESC' : 'ASC'
    const order = column === 'serial' ? `serial ${direction}` : `${column} ${direction}, serial`
    return (
      this.db.prepare(`SELECT serial FROM devices${where} ORDER BY ${order}`).all(...args) as { serial: string }[]
    ).map((r) => r.serial)
  }

  /**
   * Creates the device if it is new and applies the patch, writing the outbox row in the same
   * transaction. Returns the stored record and whether anything changed.
   */
  upsert(
    serial: string,
    patch: DevicePatch,
    now = Date.now(),
  ): { device: DeviceRecord; changed: boolean; created: boolean; previousInform: number | null } {
    return this.atomically(() => {
      let before = this.getStmt.get(serial)
      const created = !before
      const previousInform = before?.last_inform ?? null
      if (!before) {
        this.insertStmt.run(serial, now)
        before = this.getStmt.get(serial)!
      }
      const changes = Object.entries(patch).filter(([key, value]) => {
        const column = COLUMNS[key as keyof DevicePatch]
        return column !== undefined && value !== undefined && before![column] !== value
      }) as [keyof DevicePatch, unknown][]
      if (changes.length > 0) {
        this.updateStatement(changes.map(([key]) => key)).run(...changes.map(([, value]) => value), serial)
      }
      const device = toRecord(this.getStmt.get(serial)!)
      const changed = created || changes.length > 0
      if (changed) this.outbox.append('device', serial, syncedDevice(device), now)
      return { device, changed, created, previousInform }
    })
  }

  delete(serial: string): boolean {
    return this.deleteStmt.run(serial).changes > 0
  }

  private updateStatement(keys: (keyof DevicePatch)[]): Statement<unknown[]> {
    const cacheKey = keys.join(',')
    let stmt = this.updateCache.get(cacheKey)
    if (!stmt) {
      stmt = this.db.prepare<unknown[]>(
        `UPDATE devices SET ${keys.map((k) => `${COLUMNS[k]} = ?`).join(', ')} WHERE serial = ?`,
      )
      this.updateCache.set(cacheKey, stmt)
    }
    return stmt
  }
}

/** What leaves the laptop: never the connection request password. */
export function syncedDevice(device: DeviceRecord): Omit<DeviceRecord, 'connectionRequestPassword'> {
  const { connectionRequestPassword: _omit, ...rest } = device
  return rest
}

function whereClause(filter: DeviceFilter): { where: string; args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  if (filter.text) {
    where.push(
      `(serial LIKE ? ESCAPE '\\' OR alias LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE '\\' OR manufacturer LIKE ? ESCAPE '\\' OR software_version LIKE ? ESCAPE '\\' OR ip LIKE ? ESCAPE '\\')`,
    )
    const like = `%${escapeLike(filter.text)}%`
    args.push(like, like, like, like, like, like)
  }
  if (filter.status !== undefined) {
    where.push('status = ?')
    args.push(filter.status)
  }
  if (filter.serials !== undefined) {
    where.push(`serial IN (SELECT value FROM json_each(?))`)
    args.push(JSON.stringify(filter.serials))
  }
  if (filter.tag) {
    where.push('serial IN (SELECT serial FROM device_tags WHERE tag = ?)')
    args.push(filter.tag)
  }
  return { where: where.length ? ` WHERE ${where.join(' AND ')}` : '', args }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function toRecord(r: DeviceRow): DeviceRecord {
  return {
    serial: r.serial,
    oui: r.oui,
    productClass: r.product_class,
    manufacturer: r.manufacturer,
    model: r.model,
    softwareVersion: r.software_version,
    hardwareVersion: r.hardware_version,
    alias: r.alias,
    ip: r.ip,
    cwmpVersion: r.cwmp_version,
    dataModel: r.data_model,
    connectionRequestUrl: r.cr_url,
    connectionRequestUsername: r.cr_username,
    connectionRequestPassword: r.cr_password,
    periodicInformInterval: r.periodic_inform_interval,
    firstSeen: r.first_seen,
    lastInform: r.last_inform,
    lastBoot: r.last_boot,
    status: (r.status as DeviceStatus) ?? DeviceStatus.Offline,
  }
}
