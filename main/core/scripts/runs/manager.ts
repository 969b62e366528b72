import type { RpcExecutor } from '../../acs/types'
import type { FileTransfers } from '../../files/service'
import type { BenchEvents } from '../../events'
import { ulid } from '../../ids'
import type { Journal } from '../../journal'
import type { Store } from '../../store'
import type { CwmpEventHub, CwmpEventQueue, HostContext } from '../../lua/host'
import { dispatchHostCall, HOST_NAMES } from '../../lua/host/dispatch'
import type { ScriptLimits } from '../../lua/limits'
import type { LuaJs } from '../../lua/protocol'
import { RunOutput } from './output'
import { runEndedEvent } from './journal'
import { LuaRun, Watchdog, type RunOutcome } from '../../lua/runner'
import { orphanedRuns } from './hosts'
import type { RunStore } from './store'
import type { BatchProgress, HostCallRecord, RunRecord, RunTrigger, ScriptRuntimeStats } from '../types'
import { BatchCounter } from './batches'
import type { WorkerSource } from '../../lua/worker-file'
import { maskDeep, secretMasker, type Masker } from '../envs/mask'
import type { RunEnv } from '../envs/types'

/** Host calls listed in a run's record; the count goes on past it. */
const CALLS_KEPT = 200
/** Output is written to SQLite at least this often while a run prints, ms. */
const OUTPUT_FLUSH_MS = 250

/** Largest return value kept with a run (as JSON), bytes. */
const RESULT_MAX_BYTES = 1024 * 1024

/** Runs that share a cap on how many of them run at once (the runs of one event trigger). */
export interface RunGroup {
  key: string
  maxRunning: number
}

export interface RunRequest {
  scriptId: string | null
  scriptName: string
  scriptVersion: number | null
  source: string
  limits: ScriptLimits
  targets: string[]
  batchId: string | null
  trigger: RunTrigger
  /** What the script reads as `env`; its secrets are masked in the output and the record. */
  env?: RunEnv
  group?: RunGroup
}

export interface RunManagerDeps {
  store: Store
  runs: RunStore
  events: BenchEvents
  journal: Journal
  acs: RpcExecutor
  files?: FileTransfers
  hub: CwmpEventHub
  log: (level: 'info' | 'warn' | 'error', message: string) => void
  maxConcurrentRuns: number
  /** config.cwmp.holdSessionMs, read at each call so a changed setting applies at once. */
  holdSessionMs: () => number
  /** After a run has ended and its record is written. */
  onFinished?: (run: RunRecord) => void
  workerSource?: WorkerSource
}

interface Active {
  record: RunRecord
  source: string
  env: Record<string, string>
  mask: Masker
  group?: RunGroup
  /** Holds a worker slot (from launch until finish). */
  slot: boolean
  lua?: LuaRun
  queue?: CwmpEventQueue
  /** What last_error() answers: the err of the run's last host call (null when it succeeded). */
  lastError: { value: LuaJs }
  output: RunOutput
  done: Promise<RunRecord>
  resolve: (run: RunRecord) => void
}

/**
 * Runs scripts: at most maxConcurrentRuns workers at once (the rest wait, status "queued"),
 * answers their host calls, streams and stores their output, and records how each one ended.
 */
export class RunManager {
  private readonly active = new Map<string, Active>()
  private readonly queued: Active[] = []
  private running = 0
  private readonly runningInGroup = new Map<string, number>()
  private pumping = false
  private pumpAgain = false
  private readonly watchdog = new Watchdog()
  private readonly flushTimer: NodeJS.Timeout
  private closing = false
  private readonly batches = new BatchCounter()

  constructor(private readonly d: RunManagerDeps) {
    this.flushTimer = setInterval(() => this.flushAll(), OUTPUT_FLUSH_MS)
    this.flushTimer.unref()
  }

  /** Records the run (status queued) and starts it as soon as a worker slot is free. */
  submit(request: RunRequest): RunRecord {
    if (this.closing) throw new Error('the script runtime is shutting down')
    const now = Date.now()
    const record: RunRecord = {
      id: ulid(now),
      scriptId: request.scriptId,
      scriptName: request.scriptName,
      scriptVersion: request.scriptVersion,
      batchId: request.batchId,
      targets: request.targets,
      trigger: request.trigger,
      status: 'queued',
      limits: request.limits,
      queuedAt: now,
      startedAt: null,
      endedAt: null,
      outputBytes: 0,
      result: null,
      error: null,
      hostCalls: 0,
      calls: [],
      ...(request.env ? { env: request.env.name } : {}),
    }
    let resolve!: (run: RunRecord) => void
    const done = new Promise<RunRecord>((r) => (resolve = r))
    const mask = secretMasker(request.env?.secrets ?? [])
    const a: Active = {
      record,
      source: request.source,
      env: request.env?.values ?? {},
      mask,
      ...(request.group ? { group: request.group } : {}),
      slot: false,
      lastError: { value: null },
      output: new RunOutput(record, {
        runs: this.d.runs,
        events: this.d.events,
        journal: (event) => this.d.journal.recordQuietly(event),
        log: this.d.log,
        mask,
      }),
      done,
      resolve,
    }
    this.d.runs.insert(record)
    this.batches.queued(record)
    this.active.set(record.id, a)
    this.queued.push(a)
    this.d.events.emit('run.started', { run: { ...record } })
    this.pump()
    return { ...record }
  }

  /** Stops a queued or running run; false when it is not active. */
  stop(runId: string, reason: 'stopped' | 'shutdown' = 'stopped'): boolean {
    const a = this.active.get(runId)
    if (!a) return false
    this.stopAll([a], reason)
    return true
  }

  /** Stops every queued and running run of a batch; how many were still active. */
  stopBatch(batchId: string, reason: 'stopped' | 'shutdown' = 'stopped'): number {
    const runs = [...this.active.values()].filter((a) => a.record.batchId === batchId)
    this.stopAll(runs, reason)
    return runs.length
  }

  /**
   * The queued ones leave the queue first, so stopping a running one cannot start the next of
   * them, and end in one transaction: 2,000 queued runs end at once, not one write at a time.
   */
  private stopAll(runs: Active[], reason: 'stopped' | 'shutdown'): void {
    const queued = new Set(runs.filter((a) => !a.lua))
    if (queued.size > 0) {
      const left = this.queued.filter((a) => !queued.has(a))
      this.queued.splice(0, this.queued.length, ...left)
      const message =
        reason === 'shutdown' ? 'the app shut down before the run started' : 'stopped by the user before it started'
      this.d.store.transaction(() => {
        for (const a of queued) void this.finish(a, { status: 'killed', failure: { message, reason } })
      })
    }
    for (const a of runs) a.lua?.stop(reason)
  }

  /** Resolves with the final record; undefined when the run is not active (look it up instead). */
  wait(runId: string): Promise<RunRecord> | undefined {
    return this.active.get(runId)?.done
  }

  /** The live record of an active run. */
  get(runId: string): RunRecord | undefined {
    const a = this.active.get(runId)
    return a ? { ...a.record } : undefined
  }

  stats(): ScriptRuntimeStats {
    return {
      running: this.running,
      queued: this.queued.length,
      eventQueues: [...this.active.values()]
        .filter((a) => a.queue)
        .map((a) => ({ runId: a.record.id, size: a.queue!.size })),
    }
  }

  /** Batches with active runs, and those that ended lately (newest first). */
  batchProgress(): BatchProgress[] {
    return this.batches.list()
  }

  activeRuns(): RunRecord[] {
    return [...this.active.values()].map((a) => ({ ...a.record }))
  }

  /**
   * Marks runs left queued or running by a process that is gone as killed: it ended while they
   * ran. Runs of another live process on the same database (`bench-acs run --data` next to the
   * app) are left alone: it beat recently and its pid is alive.
   */
  recoverInterrupted(): number {
    const now = Date.now()
    const stale = orphanedRuns(this.d.runs, now)
    for (const run of stale) {
      this.d.runs.update({
        ...run,
        status: 'killed',
        endedAt: now,
        error: { message: 'the app stopped while this run was active; it did not finish', reason: 'crashed' },
      })
    }
    return stale.length
  }

  async close(): Promise<void> {
    this.closing = true
    const all = [...this.active.values()]
    this.stopAll(all, 'shutdown')
    await Promise.all(all.map((a) => a.done))
    clearInterval(this.flushTimer)
  }

  /** Starts queued runs, oldest first, while slots are free; a run whose group is full waits. */
  private pump(): void {
    // A run that cannot start finishes inside launch, which pumps again: let this loop do it.
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = true
    try {
      do {
        this.pumpAgain = false
        for (let i = 0; i < this.queued.length && this.running < this.d.maxConcurrentRuns;) {
          const a = this.queued[i]!
          if (a.group && (this.runningInGroup.get(a.group.key) ?? 0) >= a.group.maxRunning) {
            i++
            continue
          }
          this.queued.splice(i, 1)
          this.launch(a)
        }
      } while (this.pumpAgain)
    } finally {
      this.pumping = false
    }
  }

  private launch(a: Active): void {
    this.running++
    a.slot = true
    if (a.group) this.runningInGroup.set(a.group.key, (this.runningInGroup.get(a.group.key) ?? 0) + 1)
    const r = a.record
    r.status = 'running'
    r.startedAt = Date.now()
    this.batches.started(r)
    try {
      this.d.runs.update(r)
    } catch (error) {
      this.d.log('error', `cannot record the start of run ${r.id}: ${String(error)}`)
    }
    this.d.events.emit('run.started', { run: { ...r } })
    const trigger: Record<string, LuaJs> = { kind: r.trigger.kind }
    if (r.trigger.event) trigger.event = r.trigger.event
    if (r.trigger.triggerId) trigger.trigger_id = r.trigger.triggerId
    let lua: LuaRun
    try {
      lua = new LuaRun(
        {
          runId: r.id,
          source: a.source,
          name: r.scriptName,
          limits: r.limits,
          hostFunctions: HOST_NAMES,
          globals: { DEVICE: r.targets[0] ?? null, DEVICES: r.targets, TRIGGER: trigger, env: a.env },
        },
        {
          output: (lines) => a.output.add(lines),
          call: (name, args, signal) => this.onCall(a, name, args, signal),
        },
        this.watchdog,
        this.d.workerSource,
      )
    } catch (error) {
      // No worker (e.g. a build without out/main/lua-worker.js): the run fails, the slot is freed.
      void this.finish(a, {
        status: 'killed',
        failure: { message: `the script runtime could not start: ${(error as Error).message}`, reason: 'crashed' },
      })
      return
    }
    a.lua = lua
    void lua.done.then((outcome) => this.finish(a, outcome))
    // Events are kept from the start of the run, so a script that reboots a device and then
    // listens for its "1 BOOT" cannot miss it however fast the device is.
    a.queue = this.d.hub.open((dropped) =>
      a.output.add([
        {
          stream: 'system',
          level: 'warn',
          text: `${dropped} CWMP events arrived while the script was busy and were dropped (the last 1000 are kept for listen_to_cwmp_event)`,
          ts: Date.now(),
        },
      ]),
    )
  }

  private onCall(a: Active, name: string, args: LuaJs[], signal: AbortSignal): Promise<LuaJs[]> {
    const r = a.record
    const ctx: HostContext = {
      runId: r.id,
      targets: r.targets,
      acs: this.d.acs,
      ...(this.d.files ? { files: this.d.files } : {}),
      holdSessionMs: this.d.holdSessionMs(),
      store: this.d.store,
      events: this.d.events,
      signal,
      cwmpEvents: () => a.queue!,
      lastError: a.lastError,
      setWaiting: (waiting) => {
        if (r.waiting === waiting || signal.aborted) return
        r.waiting = waiting
        this.d.events.emit('run.waiting', { runId: r.id, waiting })
      },
    }
    return dispatchHostCall(ctx, name, args, (call: HostCallRecord) => {
      r.hostCalls++
      if (r.calls.length < CALLS_KEPT) r.calls.push(maskDeep(call, a.mask))
    })
  }

  private flushAll(): void {
    for (const a of this.active.values()) a.output.flush()
  }

  private async finish(a: Active, outcome: RunOutcome): Promise<void> {
    const r = a.record
    if (a.slot) {
      a.slot = false
      this.running--
      if (a.group) {
        const n = (this.runningInGroup.get(a.group.key) ?? 1) - 1
        if (n > 0) this.runningInGroup.set(a.group.key, n)
        else this.runningInGroup.delete(a.group.key)
      }
    }
    a.queue?.close()
    r.status = outcome.status
    r.endedAt = Date.now()
    r.waiting = undefined
    if (outcome.status === 'ok') r.result = maskDeep(boundedResult(outcome.values), a.mask)
    else {
      r.error = maskDeep(outcome.failure, a.mask)
      const f = r.error
      a.output.add([
        // Marked as an error so the console shows why the run ended in the error colour.
        {
          stream: 'system',
          level: 'error',
          text: f.traceback ? `${f.message}\n${f.traceback}` : f.message,
          ts: r.endedAt,
        },
      ])
    }
    a.output.flush(true)
    this.batches.ended(r)
    const finished = { ...r, calls: [...r.calls] }
    delete finished.waiting
    this.d.events.emit('run.finished', { run: finished })
    this.d.journal.recordQuietly(runEndedEvent(r))
    this.active.delete(r.id)
    a.resolve(finished)
    try {
      this.d.onFinished?.(finished)
    } catch (error) {
      this.d.log('error', `after run ${r.id}: ${String(error)}`)
    }
    if (!this.closing) this.pump()
  }
}

/** The script's return values, unless they are too big to keep with the run. */
function boundedResult(values: LuaJs[]): LuaJs[] {
  const size = Buffer.byteLength(JSON.stringify(values))
  return size > RESULT_MAX_BYTES
    ? [`(the return value, ${size} bytes as JSON, is over the ${RESULT_MAX_BYTES}-byte limit and was not kept)`]
    : values
}
