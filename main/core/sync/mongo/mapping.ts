import type { OutboxRow } from '../../store/types'

export type MongoCollectionName = 'devices' | 'events' | 'parameters' | 'runs' | 'provisioning'

/** Oktopus' adapter keeps its devices in database "adapter", collection "devices". */
export const OKTOPUS_DATABASE = 'adapter'

/**
 * The database to write to: the one set (settings field, `--mongo-db`), else the one the URL names
 * (mongodb://host/adapter, as Oktopus' own MONGO_URI does), else Oktopus' "adapter". Every record
 * kind goes to its own collection of that database (MONGO_COLLECTIONS), devices to Oktopus' own.
 */
export function mongoDatabase(settings: { url: string; database: string }): string {
  if (settings.database) return settings.database
  // mongodb[+srv]://[user:pass@]hosts/<database>[?options]: the path's one segment.
  const path = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/.exec(settings.url)?.[1]
  let named: string
  try {
    named = path ? decodeURIComponent(path) : ''
  } catch {
    // A malformed %-escape names no database.
    named = ''
  }
  return named || OKTOPUS_DATABASE
}

export const MONGO_COLLECTIONS: readonly MongoCollectionName[] = [
  'devices',
  'events',
  'parameters',
  'runs',
  'provisioning',
]

/** Indexes each collection gets; devices' unique sn is the same one Oktopus creates. */
export const MONGO_INDEXES: { collection: MongoCollectionName; keys: Record<string, 1 | -1>; unique?: boolean }[] = [
  { collection: 'devices', keys: { sn: 1 }, unique: true },
  { collection: 'events', keys: { serial: 1, ts: 1 } },
  { collection: 'events', keys: { site: 1, ts: 1 } },
  { collection: 'parameters', keys: { serial: 1, at: 1 } },
  { collection: 'runs', keys: { serial: 1, startedAt: 1 } },
]

/**
 * One upsert. Replays change nothing: records that never change (events, parameter snapshots) are
 * written with $setOnInsert under their id; records that do (devices, runs) only when the stored
 * copy came from an older outbox row (rowId, a ULID: ordered by time, unique across laptops).
 */
export interface MongoWrite {
  collection: MongoCollectionName
  filter: Record<string, unknown>
  update: { $set?: Record<string, unknown>; $setOnInsert?: Record<string, unknown> }
  /**
   * The unique key the filter looks up. A duplicate-key error (E11000) on its index means the same
   * or a newer record is already stored: success. (An upsert whose filter did not match because
   * the stored row is newer tries to insert and hits that index.) On any other unique index it is
   * a refusal (refusals.ts).
   */
  key: '_id' | 'sn'
}

/** Oktopus' device document: db.Device in its adapter, status 0 offline / 1 associating / 2 online. */
export interface OktopusDevice {
  sn: string
  model: string
  customer: string
  vendor: string
  version: string
  productclass: string
  alias: string
  status: number
  mqtt: number
  stomp: number
  websockets: number
  cwmp: number
}

interface SyncedDevice {
  serial: string
  oui?: string
  productClass?: string
  manufacturer?: string
  model?: string
  softwareVersion?: string
  hardwareVersion?: string
  alias?: string
  ip?: string
  cwmpVersion?: string
  dataModel?: string
  connectionRequestUrl?: string
  periodicInformInterval?: number | null
  firstSeen?: number
  lastInform?: number | null
  lastBoot?: number | null
  status?: number
}

/** The writes for one outbox row; none for rows Mongo has no place for (raw Informs). */
export function mongoWrites(row: OutboxRow): MongoWrite[] {
  const p = row.payload as Record<string, unknown> | null
  if (!p || typeof p !== 'object') return []
  switch (row.topic) {
    case 'device':
      return typeof p.serial === 'string' ? [deviceWrite(row, p as unknown as SyncedDevice)] : []
    case 'event':
      return [insertOnce('events', typeof p.id === 'string' ? p.id : row.id, row, p)]
    case 'parameters':
      return [insertOnce('parameters', row.id, row, p)]
    case 'run':
      return typeof p.id === 'string' ? [newerWins('runs', p.id, row, p)] : [insertOnce('runs', row.id, row, p)]
    case 'provisioning':
      // A profile run, written again as its steps finish: the newest write of it wins.
      return typeof p.id === 'string' ? [newerWins('provisioning', p.id, row, p)] : []
    default:
      return []
  }
}

function deviceWrite(row: OutboxRow, d: SyncedDevice): MongoWrite {
  const status = d.status === 0 || d.status === 1 || d.status === 2 ? d.status : 0
  const set: Record<string, unknown> = {
    sn: d.serial,
    vendor: d.manufacturer ?? '',
    model: d.model ?? '',
    version: d.softwareVersion ?? '',
    productclass: d.productClass ?? '',
    status,
    cwmp: status,
    // What Oktopus' document has no field for; Oktopus' own code ignores it.
    bench: {
      rowId: row.id,
      site: row.site,
      oui: d.oui ?? '',
      hardwareVersion: d.hardwareVersion ?? '',
      ip: d.ip ?? '',
      cwmpVersion: d.cwmpVersion ?? '',
      dataModel: d.dataModel ?? '',
      connectionRequestUrl: d.connectionRequestUrl ?? '',
      periodicInformInterval: d.periodicInformInterval ?? null,
      firstSeen: d.firstSeen ?? null,
      lastInform: d.lastInform ?? null,
      lastBoot: d.lastBoot ?? null,
      updatedAt: row.createdAt,
    },
  }
  const onInsert: Record<string, unknown> = { customer: '', mqtt: 0, stomp: 0, websockets: 0 }
  // An alias set centrally is kept unless the bench has one of its own.
  if (d.alias) set.alias = d.alias
  else onInsert.alias = ''
  return {
    collection: 'devices',
    filter: { sn: d.serial, ...olderThan(row.id, 'bench.rowId') },
    update: { $set: set, $setOnInsert: onInsert },
    key: 'sn',
  }
}

function insertOnce(
  collection: MongoCollectionName,
  id: string,
  row: OutboxRow,
  payload: Record<string, unknown>,
): MongoWrite {
  const { id: _id, ...fields } = payload
  return {
    collection,
    filter: { _id: id },
    update: { $setOnInsert: { ...storable(fields), site: row.site, rowId: row.id, createdAt: row.createdAt } },
    key: '_id',
  }
}

function newerWins(
  collection: MongoCollectionName,
  id: string,
  row: OutboxRow,
  payload: Record<string, unknown>,
): MongoWrite {
  const { id: _id, ...fields } = payload
  return {
    collection,
    filter: { _id: id, ...olderThan(row.id, 'rowId') },
    update: { $set: { ...storable(fields), site: row.site, rowId: row.id, createdAt: row.createdAt } },
    key: '_id',
  }
}

function olderThan(rowId: string, field: string): Record<string, unknown> {
  return { $or: [{ [field]: { $exists: false } }, { [field]: { $lt: rowId } }] }
}

/**
 * MongoDB refuses field names starting with "$" or containing "." inside update documents; a value
 * with such keys (free-form event detail) is stored as its JSON text instead.
 */
export function storable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) out[key] = hasUnsafeKeys(value) ? JSON.stringify(value) : value
  return out
}

function hasUnsafeKeys(value: unknown, depth = 0): boolean {
  if (depth > 50 || value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some((v) => hasUnsafeKeys(v, depth + 1))
  return Object.entries(value).some(
    ([k, v]) => k.startsWith('$') || k.includes('.') || k === '' || hasUnsafeKeys(v, depth + 1),
  )
}
