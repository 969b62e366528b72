import { Acs, type AcsOptions } from './acs'
import { defaultConfig, type BenchConfig, type DeepPartial } from './config'
import { BenchEvents } from './events'
import { Journal } from './journal'
import { ScriptService, type ScriptServiceOptions } from './scripts'
import { secretMasker } from './scripts/envs/mask'
import { databaseFile, openBenchStore } from './database'
import { Store } from './store'
import { configWithStoredSettings } from './settings'
import { SyncService } from './sync'
import { daysMs, RetentionService } from './retention'
import { startCheckpoints, type Checkpoints } from './store/checkpoints'
import { RunRetention } from './scripts/runs/retention'
import { FetchLogRetention } from './files/retention'
import { SimService } from './sim/service'
import { errorMessage } from './errors'
import { FileService } from './files'
import { ProfileService, type ProfileServiceOptions } from './profiles'

/**
 * The composition root. The Electron main process, the headless server and the command line all
 * build the same core with createBench(config) and expose it; none of it knows about Electron.
 */
export interface Bench {
  config: BenchConfig
  store: Store
  events: BenchEvents
  /** Writes the event log; use it instead of store.events.append so listeners hear about it. */
  journal: Journal
  /** Sync of the outbox to central servers (NATS JetStream, MongoDB); see docs/sync.md. */
  sync: SyncService
  /** Keeps the database bounded by age and size (docs/retention.md). */
  retention: RetentionService
  /** The WAL checkpoints, run in a worker thread (store/checkpoints.ts). */
  checkpoints: Checkpoints
  /**
   * The ACS (CWMP listener, sessions, RPC queue, connection requests); also the RpcExecutor that
   * scripts and the UI call. Call `await bench.acs.listen()` to start listening.
   */
  acs: Acs
  /** Lua automation: script library, runs, triggers; see docs/scripting.md. */
  scripts: ScriptService
  /** The bench's own fleet of simulated CPEs, informing to this ACS (the Simulator page). */
  sim: SimService
  /** The file library and its server on the ACS's port; see docs/acs.md ("Files"). */
  files: FileService
  /** Provisioning profiles: which devices, when, what steps; see docs/profiles.md. */
  profiles: ProfileService
  /** Stops every service and closes the database. Safe to call twice. */
  close(): Promise<void>
}

export interface CreateBenchOptions {
  /** Logs problems that have no better place to go (a listener that threw, a failed close). */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  /** Open this database file instead of <dataDir>/bench.sqlite (":memory:" for tests). */
  databaseFile?: string
  /** ACS tuning (status sweep period, connection request back-off); tests shorten them. */
  acs?: AcsOptions
  /** Script runtime options (worker location, whether to seed the example scripts). */
  scripts?: ScriptServiceOptions
  /** Profile runs' tuning (how long a firmware step waits for TransferComplete). */
  profiles?: ProfileServiceOptions
}

export async function createBench(
  overrides: DeepPartial<BenchConfig> = {},
  options: CreateBenchOptions = {},
): Promise<Bench> {
  const config = defaultConfig(overrides)
  const log = options.log ?? ((level, message) => console[level === 'info' ? 'log' : level](message))
  const file = options.databaseFile ?? databaseFile(config.dataDir)
  const store = openBenchStore(file, { nativeBinding: config.sqliteNativeBinding })
  // WAL checkpoints off the main thread, so that no session's commit waits for one.
  const checkpoints = await startCheckpoints(store.db, {
    file,
    ...(config.sqliteNativeBinding ? { nativeBinding: config.sqliteNativeBinding } : {}),
    log,
  })
  // Settings saved in the UI apply from the next start on, under this start's explicit overrides.
  Object.assign(config, configWithStoredSettings(store, overrides))
  const events = new BenchEvents((name, error) => log('error', `listener for ${name} failed: ${String(error)}`))

  const journal = new Journal(store, events, log)
  const files = new FileService({ config, store, events, journal })
  const acs = new Acs({ config, store, journal, events }, { transfers: files.transfers, ...options.acs })
  files.attach(acs)
  const sync = new SyncService({ store, events, journal, log })
  sync.start()
  const retention = new RetentionService({
    store,
    config: () => config.retention,
    sources: [
      { source: store.events, maxAgeMs: () => daysMs(config.retention.eventsDays) },
      { source: new RunRetention(store.db), maxAgeMs: () => daysMs(config.retention.runsDays) },
      { source: new FetchLogRetention(store.db), maxAgeMs: () => daysMs(config.retention.fetchesDays) },
    ],
    // Sent rows follow the sync settings' retention (0: deleted as soon as every target has them).
    outbox: { source: sync.outboxRetention(), maxAgeMs: () => daysMs(sync.settings().retentionDays) || 1 },
    report: (status) => sync.reportStorage(status),
    lastActive: () => acs.lastActive(),
    journal,
    log,
  })
  // Before the ACS listens: a small older file is switched to incremental vacuum here.
  retention.start()
  const scripts = new ScriptService({ config, store, events, journal, acs, files, log }, options.scripts)
  scripts.start()
  // Stored SOAP bodies and synced records mask the environments' secrets (store/secrets.ts).
  store.secrets.useSecrets(() => scripts.environments.secretValues(), secretMasker)
  store.secrets.keepStored(() => config.cwmp.keepSecretsInLog)
  const profiles = new ProfileService({ store, events, journal, acs, files, scripts }, options.profiles)
  profiles.start()
  const sim = new SimService({
    events,
    acsUrl: () => {
      const address = acs.address
      if (!address) return null
      const bind = address.bind
      const host = bind === '0.0.0.0' || bind === '::' || bind === '' ? '127.0.0.1' : bind
      return `${address.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}/`
    },
    // The credentials the ACS wakes devices with and asks them for, read at start (Settings may change).
    credentials: () => {
      const auth = config.cwmp.auth
      return {
        connectionRequestUsername: config.connectionRequest.username,
        connectionRequestPassword: config.connectionRequest.password,
        ...(auth.mode === 'none' ? {} : { acsUsername: auth.username, acsPassword: auth.password }),
      }
    },
  })

  let closed = false
  return {
    config,
    store,
    events,
    journal,
    sync,
    retention,
    checkpoints,
    acs,
    scripts,
    sim,
    files,
    profiles,
    async close() {
      if (closed) return
      closed = true
      await sim
        .close()
        .catch((error: unknown) => log('warn', `simulated CPEs did not stop cleanly: ${errorMessage(error)}`))
      await profiles
        .close()
        .catch((error: unknown) => log('warn', `profiles did not stop cleanly: ${errorMessage(error)}`))
      // Runs first: their pending RPCs are cancelled while the ACS is still there to cancel them.
      await scripts.close().catch((error: unknown) => log('warn', `scripts did not stop cleanly: ${String(error)}`))
      await acs.close().catch((error: unknown) => log('warn', `the ACS did not stop cleanly: ${String(error)}`))
      files.close()
      await retention.close()
      await sync.close().catch((error: unknown) => log('warn', `sync did not stop cleanly: ${String(error)}`))
      await checkpoints.close()
      store.close()
    },
  }
}
