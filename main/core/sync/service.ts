import type { BenchEvents } from '../events'
import type { Journal } from '../journal'
import type { Store } from '../store'
import { MongoSink, type MongoConnector } from './mongo/sink'
import { NatsSink } from './nats/sink'
import { noticeQuarantine, noticeTransition } from './notices'
import { Relay } from './relay'
import { applySyncPatch, isConfigured, loadSyncSettings, redactSyncSettings, SYNC_SETTINGS_KEY } from './settings'
import { SyncStateStore } from './state'
import { outboxSize, StatusThrottle, targetStatus } from './status'
import {
  SYNC_TARGETS,
  type SyncSettings,
  type SyncSettingsPatch,
  type SyncSink,
  type SyncStatus,
  type SyncSummary,
  type SyncTargetName,
  type StorageStatus,
} from './types'
import type { PruneSource } from '../store'

export interface SyncTuning {
  /** Outbox rows per batch (default 500). */
  batchRows?: number
  /** Batches in flight at once (default 2). */
  depth?: number
  retry?: { minMs: number; maxMs: number }
  idlePollMs?: number
  connectTimeoutMs?: number
  publishTimeoutMs?: number
  /** Least time between two 'sync.status' events (default 250 ms). */
  statusIntervalMs?: number
  /** How often sent rows past their retention are deleted (default 10 min). */
  pruneIntervalMs?: number
}

export interface SyncServiceOptions {
  store: Store
  events: BenchEvents
  /** Where failures and recoveries are logged (transitions only, not every retry). */
  journal?: Journal
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  tuning?: SyncTuning
  /** Stand-in for the MongoDB driver (tests). */
  mongoConnector?: MongoConnector
}

/**
 * Sync to central servers: one relay per configured target drains the outbox (see relay.ts).
 * Settings live in the settings table; status goes out as 'sync.status' events and status().
 * Nothing here throws into the rest of the app: problems become the status' lastError.
 */
export class SyncService {
  private readonly stateStore: SyncStateStore
  private settingsValue: SyncSettings
  private readonly relays = new Map<SyncTargetName, Relay>()
  private readonly paused = new Set<SyncTargetName>()
  private started = false
  private closed = false
  private readonly statusOut: StatusThrottle
  private pruneTimer: ReturnType<typeof setInterval> | undefined
  private pruning: Promise<number> | undefined
  private readonly unsubscribe: (() => void)[] = []
  private storage: StorageStatus | null = null

  constructor(private readonly options: SyncServiceOptions) {
    this.stateStore = new SyncStateStore(options.store.db)
    this.settingsValue = loadSyncSettings(options.store.settings)
    this.statusOut = new StatusThrottle(
      options.events,
      () => this.status(),
      options.tuning?.statusIntervalMs ?? 250,
      options.log,
    )
  }

  /** Starts a relay for every configured, enabled target. */
  start(): void {
    if (this.started || this.closed) return
    this.started = true
    for (const target of SYNC_TARGETS) this.restartRelay(target)
    const kick = () => this.kickIdle()
    this.unsubscribe.push(
      this.options.events.on('device.updated', kick),
      this.options.events.on('event.logged', kick),
      // A routine session's row goes to the outbox when the session ends, as an update.
      this.options.events.on('event.updated', kick),
      this.options.events.on('parameters.updated', kick),
    )
    const every = this.options.tuning?.pruneIntervalMs ?? 10 * 60_000
    this.pruneTimer = setInterval(() => void this.prune(), every)
    this.pruneTimer.unref?.()
    this.emitStatus()
  }

  /** Settings with every secret replaced by SECRET_PLACEHOLDER. */
  settings(): SyncSettings {
    return redactSyncSettings(this.settingsValue)
  }

  /**
   * Saves a change (validated; throws SyncSettingsError with a message for the user) and applies it
   * at once: targets whose settings changed reconnect. Returns the new settings, redacted.
   */
  async configure(patch: SyncSettingsPatch): Promise<SyncSettings> {
    const before = this.settingsValue
    const next = applySyncPatch(before, patch)
    this.options.store.settings.set(SYNC_SETTINGS_KEY, next)
    this.settingsValue = next
    if (this.started) {
      for (const target of SYNC_TARGETS) {
        if (JSON.stringify(before[target]) !== JSON.stringify(next[target])) await this.restartRelay(target)
      }
      if (next.retentionDays !== before.retentionDays) void this.prune()
    }
    this.emitStatus()
    return this.settings()
  }

  status(): SyncStatus {
    return {
      site: this.options.store.siteId,
      outbox: outboxSize(this.options.store.outbox),
      retentionDays: this.settingsValue.retentionDays,
      targets: SYNC_TARGETS.map((t) =>
        targetStatus(t, {
          settings: this.settingsValue,
          relay: this.relays.get(t),
          paused: this.paused.has(t),
          state: this.stateStore,
          outbox: this.options.store.outbox,
        }),
      ),
      storage: this.storage,
    }
  }

  /** Retention tells where the database stands against its cap; it goes out with the status. */
  reportStorage(storage: StorageStatus): void {
    const changed = JSON.stringify(storage) !== JSON.stringify(this.storage)
    this.storage = storage
    if (changed) this.emitStatus()
  }

  /**
   * The outbox rows retention (main/core/retention) may delete: those every configured target has
   * acknowledged, even a disabled or paused one. With no target configured nothing waits for the
   * rows, and they are history like the event log (docs/sync.md, "Retention").
   */
  outboxRetention(): PruneSource & { unsent(): number; anyTarget(): boolean } {
    const outbox = this.options.store.outbox
    const configured = () => SYNC_TARGETS.filter((t) => isConfigured(this.settingsValue, t))
    const through = () => {
      const targets = configured()
      return targets.length === 0 ? outbox.maxSeq() : this.stateStore.minCursor(targets)
    }
    return {
      name: 'outbox',
      oldest: () => outbox.oldestThrough(through()),
      prune: (before, limit) => {
        const removed = outbox.prune(through(), before, limit)
        if (removed > 0) this.emitStatus()
        return removed
      },
      unsent: () => (configured().length === 0 ? 0 : outbox.maxSeq() - through()),
      anyTarget: () => configured().length > 0,
    }
  }

  /** Stops sending to one target (or all) until resume(); the outbox keeps filling. Not persisted. */
  pause(target?: SyncTargetName): void {
    for (const t of target ? [target] : SYNC_TARGETS) {
      this.paused.add(t)
      this.relays.get(t)?.pause()
    }
    this.emitStatus()
  }

  resume(target?: SyncTargetName): void {
    for (const t of target ? [target] : SYNC_TARGETS) {
      this.paused.delete(t)
      this.relays.get(t)?.resume()
    }
    this.emitStatus()
  }

  /** Skips the idle poll or the retry back-off and sends now (paused targets stay paused). */
  syncNow(target?: SyncTargetName): void {
    for (const t of target ? [target] : SYNC_TARGETS) this.relays.get(t)?.kick()
  }

  /**
   * Sends quarantined rows again (all of a target's, or the one with this seq), e.g. after the
   * server's max_payload was raised; a row the server still refuses stays quarantined.
   */
  retryQuarantined(target?: SyncTargetName, seq?: number): void {
    for (const t of target ? [target] : SYNC_TARGETS) this.relays.get(t)?.retryQuarantined(seq)
  }

  /**
   * Sends everything in the outbox to the configured targets (or those given) and resolves with
   * what happened; gives up on a target after `maxFailures` failed attempts in a row. For
   * `bench-acs sync --once`: do not call it while start() runs relays on the same database.
   */
  async drainOnce(
    options: { targets?: SyncTargetName[]; maxFailures?: number; settings?: SyncSettingsPatch } = {},
  ): Promise<SyncSummary> {
    const started = Date.now()
    const settings = options.settings ? applySyncPatch(this.settingsValue, options.settings) : this.settingsValue
    const targets = (options.targets ?? SYNC_TARGETS).filter((t) => isConfigured(settings, t))
    const relays = targets.map((t) => this.makeRelay(t, settings))
    // "Send everything" includes the rows set aside earlier: the server may take them now.
    for (const r of relays) r.retryQuarantined()
    await Promise.all(relays.map((r) => r.start({ untilCaughtUp: true, maxFailures: options.maxFailures ?? 3 })))
    const summary: SyncSummary = {
      durationMs: Date.now() - started,
      targets: relays.map((r) => ({
        target: r.target,
        url: r.url,
        sent: r.sentSinceStart,
        remaining: r.backlog(),
        duplicates: r.duplicates,
        quarantined: this.stateStore.quarantineSummary(r.target, 0).count,
        error: r.state === 'idle' ? null : r.lastError,
      })),
    }
    await Promise.all(relays.map((r) => r.stop()))
    return summary
  }

  /**
   * Deletes outbox rows that every configured target has acknowledged and that are older than
   * the retention, in small chunks so writers are never held up. Returns how many went.
   */
  prune(): Promise<number> {
    this.pruning ??= this.pruneNow().finally(() => {
      this.pruning = undefined
    })
    return this.pruning
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const u of this.unsubscribe.splice(0)) u()
    clearInterval(this.pruneTimer)
    this.statusOut.close()
    await Promise.all([...this.relays.values()].map((r) => r.stop()))
    this.relays.clear()
    await this.pruning?.catch(() => 0)
  }

  private async pruneNow(): Promise<number> {
    let total = 0
    try {
      const configured = SYNC_TARGETS.filter((t) => isConfigured(this.settingsValue, t))
      if (configured.length === 0) return 0
      const through = this.stateStore.minCursor(configured)
      const before = Date.now() - this.settingsValue.retentionDays * 86_400_000
      for (;;) {
        if (this.closed) break
        const removed = this.options.store.outbox.prune(through, before, 2000)
        total += removed
        if (removed < 2000) break
        // Writers (the ACS) get the database between two chunks.
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
    } catch (error) {
      this.options.log?.('warn', `sync: could not delete sent outbox rows: ${String(error)}`)
    }
    if (total > 0) this.emitStatus()
    return total
  }

  private makeRelay(target: SyncTargetName, settings: SyncSettings): Relay {
    const tuning = this.options.tuning ?? {}
    const sink: SyncSink =
      target === 'nats'
        ? new NatsSink({
            settings: settings.nats,
            site: this.options.store.siteId,
            connectTimeoutMs: tuning.connectTimeoutMs,
            publishTimeoutMs: tuning.publishTimeoutMs,
          })
        : new MongoSink({
            settings: settings.mongo,
            connectTimeoutMs: tuning.connectTimeoutMs,
            connector: this.options.mongoConnector,
          })
    return new Relay({
      target,
      sink,
      outbox: this.options.store.outbox,
      state: this.stateStore,
      batchRows: tuning.batchRows,
      depth: tuning.depth,
      retry: tuning.retry,
      idlePollMs: tuning.idlePollMs,
      onChange: () => this.emitStatus(),
      onTransition: (kind, error) => {
        if (!this.closed) noticeTransition(this.options, target, kind, error)
      },
      onQuarantine: (entry) => {
        if (!this.closed) noticeQuarantine(this.options, target, entry)
      },
    })
  }

  private async restartRelay(target: SyncTargetName): Promise<void> {
    const old = this.relays.get(target)
    this.relays.delete(target)
    if (old) await old.stop()
    const s = this.settingsValue[target]
    if (this.closed || !this.started || !s.url || !s.enabled) return
    const relay = this.makeRelay(target, this.settingsValue)
    if (this.paused.has(target)) relay.pause()
    this.relays.set(target, relay)
    void relay
      .start()
      .catch((error: unknown) => this.options.log?.('error', `sync ${target} relay stopped: ${String(error)}`))
  }

  private kickIdle(): void {
    for (const r of this.relays.values()) if (r.state === 'idle') r.kick()
  }

  /** At most one 'sync.status' per statusIntervalMs; the last change is never dropped. */
  private emitStatus(): void {
    if (!this.closed) this.statusOut.emit()
  }
}
