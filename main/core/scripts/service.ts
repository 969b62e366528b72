import type { RpcExecutor } from '../acs/types'
import type { FileTransfers } from '../files/service'
import type { BenchConfig } from '../config'
import type { BenchEvents } from '../events'
import type { Journal } from '../journal'
import type { Store } from '../store'
import { checkSyntax } from '../lua/check'
import { seedExamples } from './library/examples'
import { CwmpEventHub, MESSAGE_TYPES, SCRIPT_API } from '../lua/host'
import type { ScriptLimits } from '../lua/limits'
import { HOST_BEAT_MS, HOST_STALE_MS } from './runs/hosts'
import { RunManager } from './runs/manager'
import { RunsKept } from './runs/keep'
import { submitRuns, type RunSubmission } from './runs/submit'
import { RunStore } from './runs/store'
import { ScriptInputError } from './errors'
import { ScriptStore } from './library/store'
import { EnvLibrary } from './envs/library'
import { TriggerStore } from './triggers/store'
import { MAX_RUNNING_PER_TRIGGER, TriggerEngine } from './triggers/engine'
import { TriggerManager } from './triggers/manager'
import type {
  BatchProgress,
  RunOutputLine,
  RunQuery,
  RunRecord,
  RunTarget,
  RunTrigger,
  ScriptInput,
  ScriptRecord,
  ScriptSummary,
  ScriptRuntimeStats,
  ScriptVersion,
  SyntaxCheck,
  TriggerInput,
  TriggerRecord,
} from './types'
import type { WorkerSource } from '../lua/worker-file'

export interface ScriptServiceDeps {
  config: BenchConfig
  store: Store
  events: BenchEvents
  journal: Journal
  acs: RpcExecutor
  /** Library files for download()/upload() (main/core/files); absent: those need a URL. */
  files?: FileTransfers
  log: (level: 'info' | 'warn' | 'error', message: string) => void
}

export interface ScriptServiceOptions {
  /** Where the worker code is (default: found next to this module, built or source). */
  workerSource?: WorkerSource
  /** Put resources/scripts in the library on first start (default true). */
  seedExamples?: boolean
  /**
   * Fire the library's event and schedule triggers (default true). `bench-acs run` runs one
   * script, possibly on the app's own data folder: the app fires them, and firing them here too
   * would run each scheduled script twice.
   */
  triggers?: boolean
}

export interface RunOptions {
  /** Default: no device (the script runs once, DEVICE is nil). */
  target?: RunTarget
  /** This run's limits, over the script's and the app's. */
  limits?: Partial<ScriptLimits>
  /** Run this saved version instead of the current one. */
  version?: number
  /** Who asked, recorded with the run ("ui", "api", …). */
  by?: string
  /** Count the runs as one batch even on one device (a bulk action on the device list). */
  batch?: boolean
  /** The environment (id or name) the script reads as `env`; default: the default environment. */
  env?: string
}

export interface SourceRunOptions extends Omit<RunOptions, 'version'> {
  name: string
  source: string
  trigger?: RunTrigger
}

export { MAX_TRIGGERS_PER_SCRIPT } from './triggers/manager'

/**
 * Lua automation: the script library (with versions), runs (each in its own worker, recorded
 * with output, return values and host calls, streamed as run.* events), and event/schedule
 * triggers. This is the API the UI, the headless server and the CLI use; see docs/scripting.md.
 */
export class ScriptService {
  private readonly scripts: ScriptStore
  private readonly runStore: RunStore
  private readonly triggerStore: TriggerStore
  /** Named environments of variables, read by scripts as `env` (secrets masked in run output). */
  readonly environments: EnvLibrary
  private readonly hub: CwmpEventHub
  private readonly manager: RunManager
  private readonly engine: TriggerEngine
  private readonly triggerManager: TriggerManager
  private readonly kept: RunsKept
  private heartbeat: NodeJS.Timeout | undefined
  private started = false
  private closed = false

  constructor(
    private readonly d: ScriptServiceDeps,
    private readonly options: ScriptServiceOptions = {},
  ) {
    this.scripts = new ScriptStore(d.store.db)
    this.runStore = new RunStore(d.store.db, d.store.outbox)
    this.kept = new RunsKept(this.runStore, () => d.config.scripts.keepRuns, d.log)
    this.triggerStore = new TriggerStore(d.store.db)
    this.environments = new EnvLibrary(d.store.db)
    this.hub = new CwmpEventHub(d.events)
    this.manager = new RunManager({
      store: d.store,
      runs: this.runStore,
      events: d.events,
      journal: d.journal,
      acs: d.acs,
      ...(d.files ? { files: d.files } : {}),
      hub: this.hub,
      log: d.log,
      maxConcurrentRuns: Math.max(1, d.config.scripts.maxConcurrentRuns),
      holdSessionMs: () => d.config.cwmp.holdSessionMs,
      onFinished: () => this.kept.finished(),
      ...(options.workerSource ? { workerSource: options.workerSource } : {}),
    })
    this.engine = new TriggerEngine({
      triggers: this.triggerStore,
      events: d.events,
      fire: (t, target, at, event) => this.fire(t, target, at, event),
      isActive: (runId) => this.manager.get(runId) !== undefined,
      warn: (t, message) => this.triggerManager.warn(t, message),
    })
    this.triggerManager = new TriggerManager({
      store: d.store,
      scripts: this.scripts,
      triggers: this.triggerStore,
      engine: this.engine,
      events: d.events,
      journal: d.journal,
    })
  }

  /** Settles runs a crash left active, trims old runs, seeds the examples, starts the triggers. */
  start(): void {
    if (this.started) return
    this.started = true
    this.beat()
    this.heartbeat = setInterval(() => this.beat(), HOST_BEAT_MS)
    this.heartbeat.unref()
    const interrupted = this.manager.recoverInterrupted()
    if (interrupted > 0) this.d.log('warn', `${interrupted} script run(s) were still active when the app last stopped`)
    this.kept.prune()
    if (this.options.seedExamples !== false) {
      try {
        seedExamples(this.d.store, this.scripts)
      } catch (error) {
        this.d.log('warn', `example scripts not added: ${(error as Error).message}`)
      }
    }
    if (this.options.triggers !== false) this.engine.start()
  }

  // ---- library ----

  list(): ScriptSummary[] {
    return this.scripts.list()
  }

  get(id: string): ScriptRecord | undefined {
    return this.scripts.get(id)
  }

  getByName(name: string): ScriptRecord | undefined {
    return this.scripts.getByName(name)
  }

  create(input: ScriptInput): ScriptRecord {
    const script = this.scripts.create(input)
    this.announce(script)
    return script
  }

  /** Saves a new version when anything changed (source, name, description, limits). */
  update(id: string, patch: Partial<ScriptInput>): ScriptRecord {
    const before = this.scripts.get(id)
    const script = this.scripts.update(id, patch)
    if (before?.version !== script.version) this.announce(script)
    return script
  }

  /** Deletes the script, its versions and triggers; its runs stay (with the script's name). */
  remove(id: string): boolean {
    const removed = this.scripts.remove(id)
    if (removed) {
      this.engine.reload()
      this.d.events.emit('script.changed', { scriptId: id, script: null })
    }
    return removed
  }

  versions(id: string): ScriptVersion[] {
    return this.scripts.versions(id)
  }

  version(id: string, version: number): ScriptVersion | undefined {
    return this.scripts.version(id, version)
  }

  /** Compiles without running: the editor's error markers. */
  check(source: string, name?: string): SyntaxCheck {
    return checkSyntax(source, name)
  }

  /** The functions scripts can call and send_cwmp_message's type numbers (docs, autocomplete). */
  api() {
    return { functions: SCRIPT_API, messageTypes: MESSAGE_TYPES }
  }

  // ---- runs ----

  /**
   * Starts a library script: one run per target device (all at once, as worker slots allow), or
   * one run with no device. Returns the runs as recorded (queued or running).
   */
  run(scriptId: string, options: RunOptions = {}): RunRecord[] {
    const script = this.scripts.get(scriptId)
    if (!script) throw new ScriptInputError(`no script with id ${scriptId}`)
    let source = script.source
    let name = script.name
    let version = script.version
    let limits = script.limits
    if (options.version !== undefined && options.version !== script.version) {
      const v = this.scripts.version(scriptId, options.version)
      if (!v) throw new ScriptInputError(`script "${script.name}" has no version ${options.version}`)
      ;({ source, name, version, limits } = v)
    }
    return this.submit({
      scriptId,
      scriptName: name,
      scriptVersion: version,
      source,
      scriptLimits: limits,
      options,
      trigger: { kind: 'manual', ...(options.by ? { by: options.by } : {}) },
      strictTargets: true,
    })
  }

  /** Runs source that is not (or not yet) in the library: the CLI, an unsaved editor buffer. */
  runSource(options: SourceRunOptions): RunRecord[] {
    const name =
      typeof options.name === 'string' && options.name.trim() ? options.name.trim().replace(/[\r\n]/g, ' ') : 'script'
    if (typeof options.source !== 'string') throw new ScriptInputError('the script source must be text')
    return this.submit({
      scriptId: null,
      scriptName: name,
      scriptVersion: null,
      source: options.source,
      scriptLimits: {},
      options,
      trigger: options.trigger ?? { kind: 'manual', ...(options.by ? { by: options.by } : {}) },
      strictTargets: true,
    })
  }

  /** Stops a queued or running run; false when it is not active. */
  stop(runId: string): boolean {
    return this.manager.stop(runId)
  }

  /**
   * Stops the rest of a batch (one manual start on several devices): its queued runs end at once,
   * its running ones are stopped. How many were still active.
   */
  stopBatch(batchId: string): number {
    return this.manager.stopBatch(batchId)
  }

  /** Batches with runs still active, and those that ended lately, with their counts; newest first. */
  batches(): BatchProgress[] {
    return this.manager.batchProgress()
  }

  /** The run's final record once it has ended (at once when it already has). */
  async wait(runId: string): Promise<RunRecord> {
    const live = this.manager.wait(runId)
    if (live) return live
    const stored = this.runStore.get(runId)
    if (!stored) throw new ScriptInputError(`no run with id ${runId}`)
    return stored
  }

  getRun(runId: string): RunRecord | undefined {
    return this.manager.get(runId) ?? this.runStore.get(runId)
  }

  /** Runs, newest first; active ones with their live state. */
  runs(query: RunQuery = {}): RunRecord[] {
    return this.runStore.list(query).map((r) => this.manager.get(r.id) ?? r)
  }

  /** Queued and running runs. */
  active(): RunRecord[] {
    return this.manager.activeRuns()
  }

  /** Runs and event queues held right now. */
  stats(): ScriptRuntimeStats {
    return this.manager.stats()
  }

  /** A run's output lines after `afterSeq` (0: from the start), oldest first. */
  output(runId: string, afterSeq = 0, limit?: number): RunOutputLine[] {
    return this.runStore.output(runId, afterSeq, limit)
  }

  // ---- triggers ----

  triggers(scriptId?: string): TriggerRecord[] {
    return this.triggerManager.list(scriptId)
  }

  createTrigger(scriptId: string, input: TriggerInput): TriggerRecord {
    return this.triggerManager.create(scriptId, input)
  }

  updateTrigger(id: string, patch: Partial<TriggerInput>): TriggerRecord {
    return this.triggerManager.update(id, patch)
  }

  /**
   * Makes a script's triggers exactly `wanted`: entries with the id of one of its triggers change
   * it, the others are created, and its triggers not named are removed. All are checked first and
   * written in one transaction, so a bad entry changes nothing.
   */
  setTriggers(scriptId: string, wanted: { id?: string; input: TriggerInput }[]): TriggerRecord[] {
    return this.triggerManager.set(scriptId, wanted)
  }

  removeTrigger(id: string): boolean {
    return this.triggerManager.remove(id)
  }

  /** Stops every run (recorded as killed: shutdown) and the triggers. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.heartbeat)
    this.engine.close()
    await this.manager.close()
    this.hub.close()
    try {
      this.runStore.leave(Date.now() - HOST_STALE_MS)
    } catch (error) {
      this.d.log('warn', `cannot record that scripts stopped: ${String(error)}`)
    }
  }

  /** Tells other processes on this database that this one runs scripts and is alive. */
  private beat(): void {
    try {
      this.runStore.beat()
    } catch (error) {
      this.d.log('warn', `cannot write the script runtime's heartbeat: ${String(error)}`)
    }
  }

  // ---- internals ----

  private submit(p: RunSubmission): RunRecord[] {
    if (this.closed) throw new ScriptInputError('the script runtime is shut down')
    const d = this.d
    return submitRuns({ ...d, environments: this.environments, manager: this.manager }, p)
  }

  private fire(t: TriggerRecord, target: RunTarget, at: number, event?: string): string[] {
    const script = this.scripts.get(t.scriptId)
    if (!script) return []
    this.triggerStore.markFired(t.id, at)
    if (target.kind === 'all' && this.d.store.devices.count() === 0) return []
    const runs = this.submit({
      scriptId: script.id,
      scriptName: script.name,
      scriptVersion: script.version,
      source: script.source,
      scriptLimits: script.limits,
      options: { target },
      trigger: { kind: t.kind, triggerId: t.id, ...(event ? { event } : {}) },
      strictTargets: false,
      // An event storm (a whole bench booting) queues behind the trigger's share of the slots.
      ...(t.kind === 'event' ? { group: { key: `trigger:${t.id}`, maxRunning: MAX_RUNNING_PER_TRIGGER } } : {}),
    })
    return runs.map((r) => r.id)
  }

  private announce(script: ScriptRecord): void {
    const { source: _omit, ...summary } = script
    this.d.events.emit('script.changed', { scriptId: script.id, script: summary })
  }
}
