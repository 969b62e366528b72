import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { openDatabase, transactionRunner, type Db, type OpenOptions } from './db'
import { BodyStore } from './bodies'
import { DeviceStore } from './devices'
import { EventLogStore } from './event-log'
import { OutboxStore } from './outbox'
import { ParameterStore } from './parameters'
import { SettingsStore } from './settings'
import { StoreSpace } from './space'
import { DeviceTagStore } from './tags'
import { SecretRedaction } from './secrets'

export * from './types'
export type { Db, OpenOptions } from './db'
export type { StoredBody } from './bodies'
export type { VacuumMode } from './space'
export type { DevicePatch, DeviceFilter, DeviceSort } from './devices'
export { DEVICE_SORTS } from './devices'
export type { ParameterUpdate } from './parameters'
export { parentPath } from './parameters'
export { MAX_TAGS_PER_DEVICE, MAX_TAG_LENGTH } from './tags'

/**
 * The one SQLite database of a Bench ACS instance, as named operations. Nothing outside
 * main/core/store writes SQL against it, except modules that own their own tables (scripts, sync).
 */
export class Store {
  readonly settings: SettingsStore
  readonly outbox: OutboxStore
  readonly devices: DeviceStore
  /** Tags the technician puts on devices. */
  readonly tags: DeviceTagStore
  readonly parameters: ParameterStore
  readonly events: EventLogStore
  /** SOAP bodies stored once, deflated (events and the inform outbox rows point at them). */
  readonly bodies: BodyStore
  /** The file's size and giving deleted pages back to the disk (retention). */
  readonly space: StoreSpace
  /** Secrets masked in stored SOAP bodies and in every synced record (store/secrets.ts). */
  readonly secrets = new SecretRedaction()
  private siteIdCache: string | undefined
  private readonly atomically: <T>(fn: () => T) => T

  constructor(readonly db: Db) {
    this.atomically = transactionRunner(db)
    this.settings = new SettingsStore(db)
    this.bodies = new BodyStore(db, this.secrets)
    this.space = new StoreSpace(db)
    this.outbox = new OutboxStore(db, () => this.siteId, this.bodies, this.secrets)
    this.devices = new DeviceStore(db, this.outbox)
    this.tags = new DeviceTagStore(db)
    this.parameters = new ParameterStore(db, this.outbox)
    this.events = new EventLogStore(db, this.outbox, this.bodies)
  }

  static open(file: string, options: OpenOptions): Store {
    return new Store(openDatabase(file, options))
  }

  /**
   * This laptop's id in synced records: made once, kept in the database. Readable (host name)
   * plus random, so two laptops with the same host name still differ.
   */
  get siteId(): string {
    if (this.siteIdCache) return this.siteIdCache
    let id = this.settings.get<string>('site.id')
    if (!id) {
      const host =
        hostname()
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-')
          .slice(0, 32) || 'bench'
      id = `${host}-${randomBytes(4).toString('hex')}`
      this.settings.set('site.id', id)
    }
    this.siteIdCache = id
    return id
  }

  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.atomically(fn)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
