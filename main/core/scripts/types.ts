import type { ScriptLimits } from '../lua/limits'
import type { LogLevel, LuaJs, OutputStream, ScriptFailure } from '../lua/protocol'
import type { HostCallOutcome } from '../lua/host/dispatch'

export type {
  ScriptLimits,
  SyntaxCheck,
  KillReason,
  LogLevel,
  LuaJs,
  OutputStream,
  ScriptFailure,
  RunKillReason,
} from '../lua/types'

/** A script in the library (the current version). */
export interface ScriptRecord {
  id: string
  name: string
  description: string
  source: string
  /** This script's own limits, over the app's defaults (see ScriptLimits). */
  limits: Partial<ScriptLimits>
  /** 1 for a new script, +1 on every save that changed something. */
  version: number
  /** Seeded from resources/scripts on first start. */
  example: boolean
  createdAt: number
  updatedAt: number
}

export type ScriptSummary = Omit<ScriptRecord, 'source'>

export interface ScriptVersion {
  scriptId: string
  version: number
  name: string
  description: string
  source: string
  limits: Partial<ScriptLimits>
  savedAt: number
}

export interface ScriptInput {
  name: string
  source: string
  description?: string
  limits?: Partial<ScriptLimits>
}

/** Which devices a run is for. Each device gets its own run; with none the script runs once. */
export type RunTarget = { kind: 'none' } | { kind: 'all' } | { kind: 'devices'; serials: string[] }

export type RunStatus = 'queued' | 'running' | 'ok' | 'error' | 'killed' | 'timeout'

export type TriggerKind = 'manual' | 'event' | 'schedule' | 'cli'

export interface RunTrigger {
  kind: TriggerKind
  /** The trigger row that started it (event and schedule triggers). */
  triggerId?: string
  /** Event triggers: the CWMP event code that fired it, e.g. "1 BOOT". */
  event?: string
  /** Who asked, for manual runs: "ui", "api", … */
  by?: string
}

/** One host call a run made, for the run's record (the first few hundred are kept). */
export type HostCallRecord = HostCallOutcome

export interface RunRecord {
  id: string
  scriptId: string | null
  scriptName: string
  scriptVersion: number | null
  /** Runs started together (one manual start on several devices) share a batch id. */
  batchId: string | null
  /** The device(s) the run is for: DEVICE (and DEVICES) in the script. */
  targets: string[]
  trigger: RunTrigger
  status: RunStatus
  limits: ScriptLimits
  queuedAt: number
  startedAt: number | null
  endedAt: number | null
  /** Bytes of output kept with the run (printed and logged; past limits.outputBytes the oldest go). */
  outputBytes: number
  /** The script's return values (JSON-shaped), when it returned normally. */
  result: LuaJs[] | null
  /** Why it failed or was stopped. */
  error: ScriptFailure | null
  hostCalls: number
  calls: HostCallRecord[]
  /** The environment the script read as `env` (its name when the run started); absent: none. */
  env?: string
  /** While running: what the script is waiting for, if anything. */
  waiting?: 'rpc' | 'event' | 'sleep' | null
}

/**
 * One manual start on several devices, counted: how many of its runs are queued, running, done,
 * failed and stopped. Kept while any run is active and for a while after (the UI shows the end).
 */
export interface BatchProgress {
  batchId: string
  scriptId: string | null
  scriptName: string
  total: number
  queued: number
  running: number
  done: number
  failed: number
  stopped: number
  queuedAt: number
  /** When its last run ended; null while any is active. */
  endedAt: number | null
}

/** What the script runtime holds right now (diagnostics; the soak tests check it stays bounded). */
export interface ScriptRuntimeStats {
  running: number
  queued: number
  /** Each active run's queue of CWMP events not yet taken by listen_to_cwmp_event. */
  eventQueues: { runId: string; size: number }[]
}

export interface RunOutputLine {
  runId: string
  seq: number
  ts: number
  stream: OutputStream
  level?: LogLevel
  text: string
}

export interface RunQuery {
  scriptId?: string
  status?: RunStatus[]
  /** Runs that targeted this device. */
  serial?: string
  /** Paging: runs queued before this run id (ids sort by time). */
  before?: string
  limit?: number
}

export interface TriggerRecord {
  id: string
  scriptId: string
  enabled: boolean
  kind: 'event' | 'schedule'
  /**
   * Event triggers: the CWMP events that fire it, as the numbers listen_to_cwmp_event takes
   * ("0" … "12") or full codes ("1 BOOT", "M Reboot"); empty means any event.
   */
  events: string[]
  /** Event triggers: serials or globs ("HUAW*"), separated by commas or spaces; empty means any device. */
  deviceFilter: string
  /** Schedule triggers: run every this many seconds… */
  everySeconds: number | null
  /** …or on this cron expression (5 or 6 fields, local time). */
  cron: string | null
  /** Schedule triggers: which devices each firing runs on. Event triggers run on the device that informed. */
  target: RunTarget
  createdAt: number
  updatedAt: number
  lastFiredAt: number | null
  /** Schedule triggers: when it fires next (not stored). */
  nextAt?: number | null
}

export type TriggerInput = Partial<
  Omit<TriggerRecord, 'id' | 'scriptId' | 'createdAt' | 'updatedAt' | 'lastFiredAt' | 'nextAt'>
> &
  Pick<TriggerRecord, 'kind'>

// The scripts module's events on the bench's bus (main/core/events.ts).
declare module '../events' {
  interface BenchEventMap {
    /** The script library changed: created or saved (script set) or removed (script null). */
    'script.changed': { scriptId: string; script: ScriptSummary | null }
    /** A script's triggers were created, changed or removed. */
    'trigger.changed': { scriptId: string; triggerId: string }
    /** A run was queued or started (status "queued" or "running"). */
    'run.started': { run: RunRecord }
    /** Lines a running script printed or logged (at most a few batches per second per run). */
    'run.output': { runId: string; lines: RunOutputLine[] }
    /** What a running script waits for changed: an RPC, a CWMP event, or nothing (running Lua). */
    'run.waiting': { runId: string; waiting: 'rpc' | 'event' | null }
    /** A run ended: ok, error, killed or timeout, with its error and return values. */
    'run.finished': { run: RunRecord }
  }
}

export type { EnvInput, EnvVariable, RunEnv, ScriptEnv } from './envs/types'
