import type { Worker } from 'node:worker_threads'
import { describeMs, type ScriptLimits } from './limits'
import {
  SLOT_BEAT,
  SLOT_STATE,
  STATE_RUNNING,
  type KillReason,
  type LuaJs,
  type OutputLine,
  type ScriptFailure,
  type StartMessage,
  type WorkerToMain,
} from './protocol'
import { locateWorker, spawnWorker, type WorkerSource } from './worker-file'
import { errorMessage } from '../errors'

export type RunOutcome =
  { status: 'ok'; values: LuaJs[] } | { status: 'error' | 'killed' | 'timeout'; failure: ScriptFailure }

/** Raised in the script at the call site: bad arguments and other mistakes of the caller. */
export class ScriptCallError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScriptCallError'
  }
}

export interface RunSpec {
  runId: string
  source: string
  /** Name in error messages ("name:12: …"). */
  name: string
  limits: ScriptLimits
  hostFunctions: readonly string[]
  globals: Record<string, LuaJs>
}

export interface RunCallbacks {
  /** The state is built and the script's first line is about to run. */
  started?(bootMs: number): void
  output?(lines: OutputLine[]): void
  /**
   * A host call. Resolves with the values the Lua function returns; rejects with
   * ScriptCallError to raise an error in the script. `signal` aborts when the run ends.
   */
  call(name: string, args: LuaJs[], signal: AbortSignal): Promise<LuaJs[]>
}

/**
 * One script run in its own worker thread. `done` resolves once the worker has exited, with how
 * the script ended; it never rejects.
 */
export class LuaRun {
  readonly done: Promise<RunOutcome>
  private readonly worker: Worker
  private readonly shared = new Int32Array(new SharedArrayBuffer(8))
  private readonly abort = new AbortController()
  private outcome: RunOutcome | undefined
  private wallTimer: NodeJS.Timeout | undefined
  private lastBeat = -1
  private lastProgress = Date.now()

  constructor(
    readonly spec: RunSpec,
    private readonly callbacks: RunCallbacks,
    private readonly watchdog: Watchdog,
    workerSource: WorkerSource = defaultWorkerSource(),
  ) {
    const { limits } = spec
    this.worker = spawnWorker(workerSource, {
      maxOldGenerationSizeMb: limits.memoryMb,
      maxYoungGenerationSizeMb: Math.max(4, Math.min(32, Math.floor(limits.memoryMb / 8))),
    })
    this.done = new Promise<RunOutcome>((resolve) => {
      this.worker.on('message', (message: WorkerToMain) => this.onMessage(message))
      this.worker.on('error', (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
          this.finish({
            status: 'killed',
            failure: {
              message: `script stopped: it used more than ${limits.memoryMb} MiB of memory (limits.memoryMb)`,
              reason: 'memory',
            },
          })
        else
          this.finish({
            status: 'killed',
            failure: { message: `the script's worker failed: ${error.message}`, reason: 'crashed' },
          })
      })
      this.worker.on('exit', (code) => {
        this.finish({
          status: 'killed',
          failure: { message: `the script's worker exited unexpectedly (code ${code})`, reason: 'crashed' },
        })
        this.cleanup()
        resolve(this.outcome!)
      })
    })
    if (limits.wallMs > 0) {
      this.wallTimer = setTimeout(
        () =>
          this.stop(
            'timeout',
            `script stopped: it ran longer than its time limit of ${describeMs(limits.wallMs)} (limits.wallMs)`,
          ),
        limits.wallMs,
      )
    }
    watchdog.add(this)
    const start: StartMessage = {
      type: 'start',
      runId: spec.runId,
      source: spec.source,
      chunkName: `=${spec.name}`,
      limits,
      hostFunctions: [...spec.hostFunctions],
      globals: spec.globals,
      shared: this.shared.buffer as SharedArrayBuffer,
    }
    this.worker.postMessage(start)
  }

  /** Whether the run has ended (its outcome is decided, the worker may still be exiting). */
  get finished(): boolean {
    return this.outcome !== undefined
  }

  /**
   * Ends the run now: the worker is terminated wherever it is (in Lua, in a library call, or
   * waiting on the main thread) and pending host calls are aborted.
   */
  stop(reason: KillReason | 'timeout' = 'stopped', message?: string): void {
    if (this.outcome) return
    const text =
      message ?? (reason === 'shutdown' ? 'script stopped: the app is shutting down' : 'script stopped by the user')
    this.finish(
      reason === 'timeout'
        ? { status: 'timeout', failure: { message: text } }
        : { status: 'killed', failure: { message: text, reason } },
    )
  }

  /** Called by the watchdog: stops a run stuck in one library call for too long. */
  checkProgress(now: number): void {
    if (this.outcome) return
    const beat = Atomics.load(this.shared, SLOT_BEAT)
    if (Atomics.load(this.shared, SLOT_STATE) !== STATE_RUNNING || beat !== this.lastBeat) {
      this.lastBeat = beat
      this.lastProgress = now
      return
    }
    const limit = this.spec.limits.libraryCallMs
    if (now - this.lastProgress > limit)
      this.stop(
        'library-call',
        `script stopped: one library call ran for more than ${describeMs(limit)} without returning (limits.libraryCallMs), e.g. string.rep or string.gsub on a huge string`,
      )
  }

  private onMessage(message: WorkerToMain): void {
    if (this.outcome) return
    switch (message.type) {
      case 'started':
        this.callbacks.started?.(message.bootMs)
        return
      case 'output':
        this.callbacks.output?.(message.lines)
        return
      case 'call':
        this.callbacks.call(message.name, message.args, this.abort.signal).then(
          (values) => {
            if (!this.outcome) this.worker.postMessage({ type: 'reply', id: message.id, ok: true, values })
          },
          (error: unknown) => {
            if (this.outcome) return
            const text =
              error instanceof ScriptCallError
                ? error.message
                : `${message.name} failed inside Bench ACS: ${errorMessage(error)}`
            this.worker.postMessage({ type: 'reply', id: message.id, ok: false, error: text })
          },
        )
        return
      case 'done':
        this.finish(
          message.status === 'ok'
            ? { status: 'ok', values: message.values }
            : { status: message.status, failure: message.failure },
        )
        return
    }
  }

  private finish(outcome: RunOutcome): void {
    if (this.outcome) return
    this.outcome = outcome
    this.abort.abort()
    clearTimeout(this.wallTimer)
    this.watchdog.remove(this)
    void this.worker.terminate()
  }

  private cleanup(): void {
    clearTimeout(this.wallTimer)
    this.watchdog.remove(this)
  }
}

let cachedSource: WorkerSource | undefined
function defaultWorkerSource(): WorkerSource {
  cachedSource ??= locateWorker()
  return cachedSource
}

/** One timer for all runs: terminates workers stuck inside a single library call. */
export class Watchdog {
  private readonly runs = new Set<LuaRun>()
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly everyMs = 250) {}

  add(run: LuaRun): void {
    this.runs.add(run)
    if (!this.timer) {
      this.timer = setInterval(() => {
        const now = Date.now()
        for (const r of this.runs) r.checkProgress(now)
      }, this.everyMs)
      this.timer.unref()
    }
  }

  remove(run: LuaRun): void {
    this.runs.delete(run)
    if (this.runs.size === 0 && this.timer) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  }
}
