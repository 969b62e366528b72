import type { ScriptLimits } from './limits'

/**
 * Messages between the main thread and a run's worker. Values cross as structured clones of the
 * plain shapes below; tables become arrays (sequences) or objects (anything else).
 */

/** An error value handed to Lua as a table with code/message fields and a __tostring. */
export interface LuaErrorValue {
  $luaError: {
    /** What failed: fault (the CPE answered with a CWMP fault), timeout, unreachable, unknown_device, cancelled, invalid, error. */
    kind: string
    message: string
    /** CWMP fault code, when the CPE answered with a fault. */
    code?: number
    [extra: string]: LuaJs | undefined
  }
}

export type LuaJs = null | boolean | number | string | LuaJs[] | LuaErrorValue | { [key: string]: LuaJs }

export type OutputStream = 'stdout' | 'log' | 'system'
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface OutputLine {
  stream: OutputStream
  text: string
  /** For stream "log". */
  level?: LogLevel
  ts: number
}

/** Shared-memory slots the main thread's watchdog reads without a message round trip. */
export const SLOT_STATE = 0
export const SLOT_BEAT = 1
export const STATE_BOOTING = 0
export const STATE_RUNNING = 1
export const STATE_WAITING = 2
export const STATE_DONE = 3

export interface StartMessage {
  type: 'start'
  runId: string
  source: string
  /** Shown in errors and tracebacks: "name:12: …". */
  chunkName: string
  limits: ScriptLimits
  /** Host functions answered by the main thread. */
  hostFunctions: string[]
  /** Globals set before the script runs (DEVICE, DEVICES, TRIGGER). */
  globals: Record<string, LuaJs>
  /** Int32Array over it: [state, heartbeat]. */
  shared: SharedArrayBuffer
}

export type ReplyMessage =
  | { type: 'reply'; id: number; ok: true; values: LuaJs[] }
  /** Raised as a Lua error at the script's call site (bad arguments and the like). */
  | { type: 'reply'; id: number; ok: false; error: string }

export type MainToWorker = StartMessage | ReplyMessage

export type KillReason = 'cpu' | 'memory' | 'output' | 'library-call' | 'stopped' | 'crashed' | 'shutdown'

export interface ScriptFailure {
  message: string
  /** Lua traceback (runtime errors). */
  traceback?: string
  /** 1-based line in the script, when the error points at one. */
  line?: number
  /** Set when the run was stopped from outside Lua's control. */
  reason?: KillReason
}

export type WorkerToMain =
  /** The state is built and the script's first line is about to run. */
  | { type: 'started'; bootMs: number }
  | { type: 'output'; lines: OutputLine[] }
  | { type: 'call'; id: number; name: string; args: LuaJs[] }
  | { type: 'done'; status: 'ok'; values: LuaJs[] }
  | { type: 'done'; status: 'error' | 'killed'; failure: ScriptFailure }
