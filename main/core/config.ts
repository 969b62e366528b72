import { homedir } from 'node:os'
import { join } from 'node:path'
import type { AuthMode } from './cwmp/auth'

/** The application's folder name; Electron's app.getPath('userData') resolves to the same place. */
export const APP_NAME = 'bench-acs'

/** The platform's usual per-user application data folder, as Electron uses it. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.BENCH_ACS_DATA) return env.BENCH_ACS_DATA
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

export interface CwmpConfig {
  /** TCP port of the CWMP listener. */
  port: number
  /** Address to bind; CPEs on the bench LAN must reach it, so all interfaces by default. */
  bind: string
  /** PEM files for HTTPS; plain HTTP when absent. */
  tls?: { certFile: string; keyFile: string }
  /**
   * How CPEs authenticate to the ACS. `devices` gives single CPEs credentials of their own: a CPE
   * that authenticates with them can only inform, and only act in sessions, as that serial.
   */
  auth: {
    mode: AuthMode
    username: string
    password: string
    realm: string
    devices?: { serial: string; username: string; password: string }[]
  }
  /** Idle time after which a session is dropped, ms. */
  sessionTimeoutMs: number
  /**
   * Largest request body accepted, after decompression, bytes. 4 MiB: a full GetParameterValues
   * answer of a large TR-181 CPE (≈ 20 000 values at ≈ 150 bytes each) is about 3 MB.
   */
  maxBodyBytes: number
  /** A request body must keep arriving: no byte for this long ends the request with 408, ms. */
  bodyIdleTimeoutMs: number
  /** Bodies received at once from requests outside any session (Informs, strangers); more get 503. */
  maxPendingBodies: number
  /** Bytes all request bodies may hold together; a request that would pass it gets 503. */
  maxBufferedBytes: number
  /** How long a queued RPC waits for its answer before it fails with a timeout, ms. */
  rpcTimeoutMs: number
  /**
   * How long a session stays open after a script's or the UI's RPC is answered, waiting for
   * their next one (ms): a script's RPCs then share one session instead of costing a connection
   * request and a new session each. 0 ends sessions as soon as the queue is empty.
   */
  holdSessionMs: number
  /**
   * On a device's first Inform and on every BOOTSTRAP, read its DeviceInfo. and ManagementServer.
   * objects in that same session, so the device list shows its model and inform interval and the
   * parameter tree has something to browse at once.
   */
  discoverOnBootstrap: boolean
  /**
   * Parameters per GetParameterValues when a partial-path read is made of single names (a CPE
   * that does not answer partial paths, see docs/acs.md "Reads"). GenieACS uses 32.
   */
  readBatchSize: number
  /**
   * Keep passwords, Wi-Fi keys and environment secrets in the event log's stored SOAP bodies as
   * they were sent (default false: masked when stored). Synced records are masked either way
   * (docs/security.md, "Sync and stored data").
   */
  keepSecretsInLog: boolean
}

export interface ConnectionRequestConfig {
  /** Credentials used when the device did not report its own (ManagementServer.ConnectionRequestUsername). */
  username: string
  password: string
  timeoutMs: number
  retries: number
}

/** Script runs (main/core/lua); a script's own limits override these defaults. */
export interface ScriptsConfig {
  /** Wall-time limit of a run, ms; 0 = none (listener scripts run until stopped). As ScriptLimits.wallMs. */
  wallMs: number
  /** Memory limit of a run's worker, MiB. As ScriptLimits.memoryMb. */
  memoryMb: number
  /** Runs at once; more wait, queued. */
  maxConcurrentRuns: number
  /** Finished runs kept with their output (at least 10); older ones are deleted as new ones finish. */
  keepRuns: number
}

/** The file library (main/core/files): firmware images, configuration files, device uploads. */
export interface FilesConfig {
  /** Largest file the library takes (added, or uploaded by a device), bytes. */
  maxBytes: number
}

/**
 * What the database keeps (main/core/retention, docs/retention.md): events (with their SOAP
 * bodies), finished runs (with their output) and the file fetch log by age, everything deletable
 * by total size, oldest first. Sent outbox rows follow the sync settings' retentionDays; unsent
 * ones are never deleted.
 */
export interface RetentionConfig {
  /** Days of event log kept; 0: no age limit (the size cap still applies). */
  eventsDays: number
  /** Days of finished script runs kept; 0: no age limit. */
  runsDays: number
  /** Days of the file fetch log kept; 0: no age limit. */
  fetchesDays: number
  /** Cap on the database (page_count × page_size), MiB; 0: no cap. */
  maxMb: number
  /** Rows younger than this are never deleted to meet the cap: the newest state stays, minutes. */
  keepMinutes: number
  /** Rows per step; each step is one short transaction, so sessions wait for at most one. */
  batchRows: number
  /** Time between two passes, ms. A pass runs steps until nothing is left to delete. */
  intervalMs: number
  /**
   * A database made before incremental vacuum is switched to it (one VACUUM at start, before the
   * ACS listens) when at most this big, MiB; larger ones wait for `bench-acs serve --vacuum`.
   */
  convertBelowMb: number
}

export interface BenchConfig {
  dataDir: string
  cwmp: CwmpConfig
  connectionRequest: ConnectionRequestConfig
  scripts: ScriptsConfig
  files: FilesConfig
  retention: RetentionConfig
  /** Path to a better_sqlite3.node built for the running runtime (Electron passes its own). */
  sqliteNativeBinding?: string
}

export function defaultConfig(overrides: DeepPartial<BenchConfig> = {}): BenchConfig {
  const base: BenchConfig = {
    dataDir: defaultDataDir(),
    cwmp: {
      port: 7547,
      bind: '0.0.0.0',
      auth: { mode: 'none', username: 'acs', password: 'acs', realm: 'Bench ACS' },
      sessionTimeoutMs: 30_000,
      maxBodyBytes: 4 * 1024 * 1024,
      bodyIdleTimeoutMs: 5_000,
      maxPendingBodies: 256,
      maxBufferedBytes: 64 * 1024 * 1024,
      rpcTimeoutMs: 120_000,
      holdSessionMs: 2_000,
      discoverOnBootstrap: true,
      readBatchSize: 32,
      keepSecretsInLog: false,
    },
    // The credentials `bench-acs sim` and the Simulator page's CPEs require unless told otherwise, so
    // the first device action works out of the box; real CPEs need theirs set in Settings.
    connectionRequest: { username: 'cr', password: 'cr', timeoutMs: 5_000, retries: 2 },
    scripts: { wallMs: 0, memoryMb: 128, maxConcurrentRuns: 32, keepRuns: 10_000 },
    // A firmware image of a home router or ONT is 10–100 MB; a bench laptop holds a few dozen.
    files: { maxBytes: 512 * 1024 * 1024 },
    // A month of history; 2 GiB holds ~10 days of 50 CPEs informing every 5 min before the cap
    // starts deleting the oldest rows (docs/retention.md).
    retention: {
      eventsDays: 30,
      runsDays: 30,
      fetchesDays: 30,
      maxMb: 2048,
      keepMinutes: 60,
      batchRows: 300,
      intervalMs: 60_000,
      convertBelowMb: 256,
    },
  }
  return merge(base, overrides)
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }

function merge<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (!patch) return base
  const out = { ...base } as Record<string, unknown>
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    const current = out[key]
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current, value as DeepPartial<typeof current>)
        : value
  }
  return out as T
}
