// Scripts: the library, runs, batches, triggers and environments (types of main/core/scripts).
import type { ScriptApiEntry } from '../../main/core/lua/host/index'
import type {
  BatchProgress,
  EnvInput,
  EnvVariable,
  RunOutputLine,
  RunRecord,
  RunStatus,
  RunTarget,
  ScriptEnv,
  ScriptRecord,
  ScriptSummary as LuaScriptSummary,
  ScriptVersion,
  TriggerInput,
  TriggerRecord,
} from '../../main/core/scripts/types'

export type {
  BatchProgress,
  EnvInput,
  EnvVariable,
  ScriptEnv,
  ScriptRecord,
  ScriptVersion,
  RunTarget,
  RunRecord,
  RunStatus,
  RunOutputLine,
  TriggerRecord,
  TriggerInput,
}
export type ScriptSummary = LuaScriptSummary

/** A syntax error at a line, for the editor's markers; an empty list when the script compiles. */
export interface SyntaxIssue {
  line: number
  column?: number
  message: string
}

export interface RunQuery {
  scriptId?: string
  /** Only runs still queued or running (listeners included), across all scripts. */
  active?: boolean
  /** With active: false leaves out the runs of batches (the Running tab shows each batch as one row). */
  inBatch?: false
  limit?: number
}

/** The script API reference: bench.scripts.api() in the core, shown by the editor. */
export interface ScriptApiReference {
  functions: readonly ScriptApiEntry[]
  /** send_cwmp_message's types: what each makes the call return. */
  messageTypes: readonly { type: string; meaning: string; returns: string }[]
}

export interface ScriptCalls {
  list(): Promise<ScriptSummary[]>
  get(id: string): Promise<ScriptRecord | null>
  create(name: string, source?: string): Promise<ScriptRecord>
  save(id: string, source: string): Promise<ScriptRecord>
  rename(id: string, name: string): Promise<ScriptRecord>
  duplicate(id: string): Promise<ScriptRecord>
  remove(id: string): Promise<boolean>
  /** Earlier versions, newest first. */
  versions(id: string): Promise<ScriptVersion[]>
  check(source: string): Promise<SyntaxIssue[]>
  /** Every function a script can call, with an example, and send_cwmp_message's type numbers. */
  api(): Promise<ScriptApiReference>
  /**
   * One run per device (or one with no device); resolves once they are queued. `env`: the
   * environment (id or name) the script reads as `env`; absent: the default one, if any.
   */
  run(id: string, target: RunTarget, env?: string): Promise<RunRecord[]>
  stop(runId: string): Promise<boolean>
  /** Stops the rest of a batch (its queued runs at once); how many runs were still active. */
  stopBatch(batchId: string): Promise<number>
  /** Batches with runs active, and those that ended lately, with their counts; newest first. */
  batches(): Promise<BatchProgress[]>
  runs(query: RunQuery): Promise<RunRecord[]>
  output(runId: string): Promise<RunOutputLine[]>
  triggers(scriptId: string): Promise<TriggerRecord[]>
  /** Replaces the script's triggers: those with an id are updated, the others created, the rest removed. */
  setTriggers(scriptId: string, triggers: (TriggerInput & { id?: string })[]): Promise<TriggerRecord[]>
  /** Environments by name; secret values show as the settings' placeholder (write-only). */
  envs(): Promise<ScriptEnv[]>
  /**
   * Creates (id null) or replaces an environment. A secret sent back with the placeholder keeps
   * its stored value; isDefault makes it the environment of triggers and runs that name none.
   */
  saveEnv(id: string | null, env: EnvInput): Promise<ScriptEnv>
  removeEnv(id: string): Promise<boolean>
}
