import type { OutboxRow } from '../store/types'

/** The central servers Bench ACS can sync to. Each has its own cursor in the outbox. */
export type SyncTargetName = 'nats' | 'mongo'

export const SYNC_TARGETS: readonly SyncTargetName[] = ['nats', 'mongo']

export type NatsAuth =
  | { kind: 'none' }
  | { kind: 'userpass'; user: string; password: string }
  | { kind: 'token'; token: string }
  /** A .creds file (JWT + NKey seed), as issued by an operator with `nsc`. */
  | { kind: 'creds'; file: string }

export interface NatsTargetSettings {
  enabled: boolean
  /** nats://host:4222 or tls://host:4222; several servers of one cluster separated by commas. */
  url: string
  auth: NatsAuth
  /** TLS: on for tls:// URLs or when enabled; PEM files are optional (system CAs are used without caFile). */
  tls: { enabled: boolean; caFile: string; certFile: string; keyFile: string }
  /** JetStream stream for our own records (created when missing). */
  stream: string
  /** First token of our own subjects: <prefix>.<site>.<topic>.<key>. */
  subjectPrefix: string
  /**
   * Also publish what an Oktopus central deployment listens on: the raw Inform XML on
   * cwmp.v1.<serial>.info and "0" on cwmp.v1.<serial>.status when a device goes offline,
   * into its stream "cwmp".
   */
  oktopus: boolean
}

export interface MongoTargetSettings {
  enabled: boolean
  /** mongodb://… or mongodb+srv://…, credentials in the URL as the driver expects them. */
  url: string
  /** Database for devices, events, parameters and runs. "adapter" writes into Oktopus' own device list. */
  database: string
}

export interface SyncSettings {
  nats: NatsTargetSettings
  mongo: MongoTargetSettings
  /**
   * Days to keep outbox rows that every configured target has sent (0: delete them as soon as
   * they are). Rows some configured target has not sent yet are never deleted.
   */
  retentionDays: number
}

export interface SyncSettingsPatch {
  nats?: Partial<NatsTargetSettings>
  mongo?: Partial<MongoTargetSettings>
  retentionDays?: number
}

/** What a target is doing, in the words the Sync page shows. */
export type SyncTargetState =
  /** No URL set. */
  | 'not-configured'
  /** Configured but switched off. */
  | 'disabled'
  /** Paused by the user (until resume or restart). */
  | 'paused'
  | 'connecting'
  /** Sending a backlog. */
  | 'sending'
  /** Connected and caught up. */
  | 'idle'
  /** The last attempt failed; waiting nextRetryAt before the next one ("sync now" skips the wait). */
  | 'retrying'
  /** The service is closed. */
  | 'stopped'

export interface SyncError {
  message: string
  /** What to do about it. */
  hint: string
  at: number
}

export interface SyncProgress {
  /** Rows sent since this drain began. */
  done: number
  /** done + what is still to send (grows when new rows arrive during the drain). */
  total: number
  startedAt: number
  /** Rows per second over the drain so far. */
  ratePerSecond: number
}

export interface SyncTargetStatus {
  target: SyncTargetName
  /** "NATS JetStream", "MongoDB". */
  label: string
  /** Without credentials. */
  url: string
  configured: boolean
  enabled: boolean
  paused: boolean
  state: SyncTargetState
  connected: boolean
  /** Outbox rows this target has not been sent yet. */
  backlog: number
  /** Outbox seq up to which everything has been acknowledged by this target. */
  cursor: number
  /** While a backlog drains; null when caught up. */
  progress: SyncProgress | null
  /** Rows acknowledged since the app started. */
  sentSinceStart: number
  lastSuccessAt: number | null
  lastError: SyncError | null
  nextRetryAt: number | null
  /** Something worth knowing that is not an error (e.g. "stream cwmp created"). */
  notes: string[]
  /** Rows this server can never take as they are, set aside so the rest flows (see QuarantinedRow). */
  quarantine: { count: number; rows: QuarantinedRow[] }
}

/**
 * An outbox row the target refused for good (larger than the NATS server's max_payload): kept,
 * with the reason, in sync_quarantine instead of blocking every row after it, until a retry
 * (after the server's limit was raised) sends it.
 */
export interface QuarantinedRow {
  seq: number
  id: string
  topic: string
  /** As stored: a CPE's serial is CPE-supplied text (escape it before printing to a terminal). */
  key: string | null
  /** Size of the row's payload (JSON), bytes. */
  bytes: number
  reason: string
  /** What to do about it. */
  hint: string
  /** When it was last refused. */
  at: number
  /** Times it was tried. */
  attempts: number
}

export interface SyncStatus {
  /** This laptop's id in every synced record. */
  site: string
  outbox: { rows: number; lastSeq: number }
  retentionDays: number
  targets: SyncTargetStatus[]
  /** The database's size against its cap, from retention (main/core/retention); null before its first pass. */
  storage: StorageStatus | null
}

/** What retention reports on the database's size; shown with the sync status (the Sync page, serve). */
export interface StorageStatus {
  sizeBytes: number
  /** retention.maxMb in bytes; 0: no cap. */
  capBytes: number
  /**
   * Why the file stays over its cap, when it does: only rows retention must keep are left
   * (unsent outbox rows, the newest state). Null when under the cap or still pruning.
   */
  blocked: string | null
  /** The last retention pass: when it ended and the rows it deleted per source (events, runs, fetches, outbox). */
  lastPass?: { at: number; removed: Record<string, number> } | null
}

/** What `sync --once` (SyncService.drainOnce) reports per target. */
export interface SyncTargetSummary {
  target: SyncTargetName
  url: string
  /** Rows acknowledged in this run. */
  sent: number
  /** Rows still waiting. */
  remaining: number
  /** Messages the server already had (a retry after a lost ack); not stored twice. */
  duplicates: number
  /** Rows set aside because this server can never take them as they are (see SyncTargetStatus.quarantine). */
  quarantined: number
  error: SyncError | null
}

export interface SyncSummary {
  targets: SyncTargetSummary[]
  durationMs: number
}

// ---- sinks ----

/** One message a sink sends for one part of an outbox row. */
export interface SinkMessage<P = unknown> {
  seq: number
  /** 0 for the row's main message; 1… for extra messages of the same row. */
  part: number
  payload: P
}

/**
 * `permanent`: the server can never take this message as it is (larger than its max_payload);
 * retrying does not help until its configuration changes, so the relay quarantines the row
 * instead of letting it block every row after it.
 */
export type SendOutcome = { ok: true; duplicate?: boolean } | { ok: false; error: unknown; permanent?: boolean }

/**
 * A central server. The relay owns ordering, cursors and retries; a sink only turns rows into
 * messages and sends them.
 */
export interface SyncSink<P = unknown> {
  readonly label: string
  /** The URL without credentials. */
  readonly url: string
  readonly connected: boolean
  /** Connects and checks or creates what it needs (streams, indexes). Rejects with a reason. */
  connect(): Promise<void>
  /** The messages for one row; an empty list means the row has nothing for this target. */
  plan(row: OutboxRow): SinkMessage<P>[]
  /** Sends in order; resolves with one outcome per message, in the same order. Never rejects. */
  send(messages: SinkMessage<P>[]): Promise<SendOutcome[]>
  /** Reconnects, so changed server limits count (before retrying quarantined rows). Optional. */
  refresh?(): Promise<void>
  /** Notes about the connection (created streams, warnings) for the status. */
  notes(): string[]
  close(): Promise<void>
}

// Sync's events on the bench's bus (main/core/events.ts).
declare module '../events' {
  interface BenchEventMap {
    /** Sync targets' state changed: connection, backlog, progress, errors (at most a few per second). */
    'sync.status': SyncStatus
  }
}
