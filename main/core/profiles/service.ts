import { setMaxListeners } from 'node:events'
import type { RpcExecutor } from '../acs'
import type { BenchEvents } from '../events'
import type { FileService } from '../files'
import { ulid } from '../ids'
import type { Journal } from '../journal'
import { eventMatches } from '../lua/host/cwmp-events'
import type { ScriptService } from '../scripts'
import type { DeviceRecord, Store } from '../store'
import { checkProfile } from './check'
import type { ProfileFileFormat } from './file'
import { deviceTest } from './match'
import { runStep, stepKind, stepSummary, TRANSFER_WAIT_MS, type StepDeps } from './steps'
import { ProfileScheduler, systemClock, type Clock } from './schedule'
import { ProfileStore } from './store'
import {
  ProfileInputError,
  ProfileNotFoundError,
  type ProfileDefinition,
  type ProfileRecord,
  type ProfileRun,
  type ProvisioningState,
} from './types'

export interface ProfileServiceDeps {
  store: Store
  events: BenchEvents
  journal: Journal
  acs: RpcExecutor
  files: FileService
  scripts: ScriptService
}

export interface ProfileServiceOptions {
  /** How long firmware and configuration steps wait for TransferComplete, ms (default 10 min). */
  transferWaitMs?: number
  /** The clock schedules run on (tests pass one they move by hand). */
  clock?: Clock
}

/**
 * Provisioning profiles: stored with versions, run on the CWMP events they name (and by hand),
 * one device's runs one after another, so two runs never work on one device at once. A run goes
 * through the steps in order; the first that fails ends it, and the rest are "not-run".
 */
export class ProfileService {
  readonly profiles: ProfileStore
  private compiled: { profile: ProfileRecord; test: (d: DeviceRecord) => boolean }[] = []
  /** Per device: the end of its chain of runs, and the profiles queued or running on it. */
  private readonly chains = new Map<string, { tail: Promise<void>; profiles: Set<string> }>()
  private readonly live = new Map<string, { run: ProfileRun; done: Promise<ProfileRun>; stop: AbortController }>()
  private readonly stop = new AbortController()
  private readonly steps: StepDeps
  private readonly scheduler: ProfileScheduler
  private off: (() => void) | undefined

  constructor(
    private readonly d: ProfileServiceDeps,
    options: ProfileServiceOptions = {},
  ) {
    // Every step in flight (hundreds of devices at once) listens to this one signal.
    setMaxListeners(0, this.stop.signal)
    this.profiles = new ProfileStore(d.store.db, d.store.outbox)
    this.steps = { ...d, profiles: this.profiles, transferWaitMs: options.transferWaitMs ?? TRANSFER_WAIT_MS }
    this.scheduler = new ProfileScheduler(options.clock ?? systemClock, (p) => this.onSchedule(p))
  }

  /** Listens for Informs and arms schedules; runs a previous process left unfinished are marked failed. */
  start(): void {
    if (this.off) return
    this.profiles.failInterrupted(Date.now())
    this.off = this.d.events.on('device.informed', ({ device, events }) => {
      for (const { profile, test } of this.compiled) {
        const hit = events.find((e) => profile.when.events.some((w) => eventMatches(e.code, w)))
        if (!hit || !test(device)) continue
        this.enqueue(profile, device.serial, hit.code)
      }
    })
    this.reload()
  }

  /** When each scheduled profile runs next (ms), by profile id. */
  nextScheduled(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const p of this.profiles.list()) {
      const at = this.scheduler.next(p.id)
      if (at !== null) out[p.id] = at
    }
    return out
  }

  list(): ProfileRecord[] {
    return this.profiles.list()
  }

  get(idOrName: string): ProfileRecord {
    const p = this.profiles.get(idOrName)
    if (!p) throw new ProfileNotFoundError(idOrName)
    return p
  }

  /** Creates a profile, or saves a new version of the one with its name. Checked first: bad input changes nothing. */
  save(raw: unknown): ProfileRecord {
    const definition = checkProfile(raw)
    return this.saved(this.profiles.save(ulid(), definition, Date.now()))
  }

  /** Saves a new version of a profile under its id (a rename keeps its history). */
  update(id: string, raw: unknown): ProfileRecord {
    const old = this.get(id)
    const definition = checkProfile(raw)
    const clash = this.profiles.get(definition.name)
    if (clash && clash.id !== old.id) throw new ProfileInputError(`there is already a profile "${definition.name}"`)
    return this.saved(this.profiles.save(old.id, definition, Date.now()))
  }

  setEnabled(idOrName: string, enabled: boolean): ProfileRecord {
    const p = this.get(idOrName)
    return this.saved(this.profiles.save(p.id, { ...definitionOf(p), enabled }, Date.now()))
  }

  remove(idOrName: string): void {
    const p = this.get(idOrName)
    this.profiles.remove(p.id)
    this.reload()
    this.d.events.emit('profile.changed', { name: p.name, removed: true })
  }

  versions(idOrName: string) {
    return this.profiles.versions(this.get(idOrName).id)
  }

  /** Imports a shared file: every profile is checked before any is saved, then all in one transaction. */
  import(content: string, fileName?: string): ProfileRecord[] {
    const saved = this.profiles.importFile(content, fileName)
    this.reload()
    for (const p of saved) this.d.events.emit('profile.changed', { name: p.name, removed: false })
    return saved
  }

  /** The file `import` reads: one profile, or all, as JSON or YAML. */
  export(name?: string, format: ProfileFileFormat = 'json'): string {
    return this.profiles.exportFile(name === undefined ? this.list() : [this.get(name)], format)
  }

  runs(q: { serial?: string; profile?: string; limit?: number } = {}): ProfileRun[] {
    const profileId = q.profile === undefined ? undefined : this.get(q.profile).id
    return this.profiles.runs({ serial: q.serial, profileId, limit: q.limit })
  }

  states(): Record<string, ProvisioningState> {
    return this.profiles.states()
  }

  /**
   * Runs a profile by hand on devices (whether it matches them or is enabled does not matter: the
   * technician chose). Returns the runs' ids; a device already doing this profile is left to it.
   */
  runOn(idOrName: string, serials: string[]): string[] {
    const profile = this.get(idOrName)
    if (!Array.isArray(serials) || serials.length === 0) throw new ProfileInputError('choose at least one device')
    for (const s of serials)
      if (!this.d.store.devices.get(s)) throw new ProfileInputError(`device ${s} is not known to this ACS`)
    return serials.flatMap((s) => this.enqueue(profile, s, 'manual') ?? [])
  }

  /**
   * Stops runs that have not ended ("stop the rest" of a profile started on many devices): a
   * queued run ends without running a step, a running one has its step in flight cut short. Each
   * ends as failed, its steps saying they were stopped. Returns how many were still going.
   */
  stopRuns(runIds: string[]): number {
    if (!Array.isArray(runIds)) throw new ProfileInputError('runIds must be a list of run ids')
    let stopped = 0
    for (const id of runIds) {
      const live = this.live.get(id)
      if (!live || live.stop.signal.aborted) continue
      live.stop.abort()
      stopped++
    }
    return stopped
  }

  /** Resolves with the run once it has ended. */
  async wait(runId: string): Promise<ProfileRun> {
    const live = this.live.get(runId)
    if (live) return live.done
    const stored = this.profiles.runs({ limit: 10_000 }).find((r) => r.id === runId)
    if (!stored) throw new ProfileNotFoundError(`run ${runId}`)
    return stored
  }

  close(): Promise<void> {
    this.off?.()
    this.off = undefined
    this.scheduler.close()
    this.stop.abort()
    return Promise.allSettled([...this.chains.values()].map((c) => c.tail)).then(() => undefined)
  }

  private saved(p: ProfileRecord): ProfileRecord {
    this.reload()
    this.d.events.emit('profile.changed', { name: p.name, removed: false })
    return p
  }

  private readonly tagsOf = (serial: string): string[] => this.d.store.tags.of(serial)

  private reload(): void {
    const all = this.profiles.list()
    this.compiled = all
      .filter((p) => p.enabled && p.when.events.length > 0)
      .map((profile) => ({ profile, test: deviceTest(profile.match, this.tagsOf) }))
    // Not started (a process that only edits profiles): nothing to arm.
    if (this.off) this.scheduler.reload(all)
  }

  /** A schedule's due time: the profile runs on every known device it matches. */
  private onSchedule(profile: ProfileRecord): void {
    const test = deviceTest(profile.match, this.tagsOf)
    const devices = this.d.store.devices.list().filter(test)
    this.d.journal.recordQuietly({
      kind: 'script',
      severity: 'info',
      summary: `Profile "${profile.name}": schedule ${profile.when.schedule} is due, ${devices.length} matching device${devices.length === 1 ? '' : 's'}`,
    })
    for (const device of devices) this.enqueue(profile, device.serial, 'schedule')
  }

  /** Queues a run after the device's others; none when this profile is queued or running on it. */
  private enqueue(profile: ProfileRecord, serial: string, trigger: string): string | undefined {
    const chain = this.chains.get(serial) ?? { tail: Promise.resolve(), profiles: new Set<string>() }
    if (chain.profiles.has(profile.id)) {
      this.note(
        serial,
        `Profile "${profile.name}" not started again on ${trigger}: it is already under way on this device`,
      )
      return undefined
    }
    const run: ProfileRun = {
      id: ulid(),
      profileId: profile.id,
      profileName: profile.name,
      profileVersion: profile.version,
      serial,
      trigger,
      status: 'running',
      startedAt: Date.now(),
      endedAt: null,
      steps: profile.steps.map((s, index) => ({
        index,
        kind: stepKind(s),
        summary: stepSummary(s),
        outcome: 'not-run',
        detail: '',
        durationMs: 0,
      })),
    }
    this.write(run)
    chain.profiles.add(profile.id)
    const stop = new AbortController()
    const done = chain.tail.then(() => this.execute(profile, run, stop.signal))
    chain.tail = done.then(
      () => undefined,
      () => undefined,
    )
    this.chains.set(serial, chain)
    this.live.set(run.id, { run, done, stop })
    void chain.tail.then(() => {
      chain.profiles.delete(profile.id)
      this.live.delete(run.id)
      if (chain.profiles.size === 0 && this.chains.get(serial) === chain) this.chains.delete(serial)
    })
    return run.id
  }

  private async execute(profile: ProfileRecord, run: ProfileRun, stopped: AbortSignal): Promise<ProfileRun> {
    // One signal for the steps: the app stopping or the technician stopping this run.
    const both = new AbortController()
    const abort = () => both.abort()
    if (stopped.aborted || this.stop.signal.aborted) both.abort()
    this.stop.signal.addEventListener('abort', abort, { once: true })
    stopped.addEventListener('abort', abort, { once: true })
    try {
      return await this.runSteps(profile, run, stopped, both.signal)
    } finally {
      this.stop.signal.removeEventListener('abort', abort)
      stopped.removeEventListener('abort', abort)
    }
  }

  private async runSteps(
    profile: ProfileRecord,
    run: ProfileRun,
    stopped: AbortSignal,
    signal: AbortSignal,
  ): Promise<ProfileRun> {
    for (const [index, step] of profile.steps.entries()) {
      if (signal.aborted) {
        run.steps[index]!.detail = stopped.aborted
          ? 'stopped by the technician before this step'
          : 'the app stopped before this step'
        break
      }
      const result = await runStep(this.steps, { serial: run.serial, runId: run.id, index, signal }, step)
      if (stopped.aborted && result.outcome === 'failed')
        result.detail = `stopped by the technician during this step (${result.detail})`
      run.steps[index] = result
      if (result.outcome === 'failed') break
      this.write(run)
    }
    const failed = run.steps.find((s) => s.outcome === 'failed' || (s.outcome === 'not-run' && s.detail))
    run.status = failed ? 'failed' : 'done'
    run.endedAt = Date.now()
    this.write(run)
    const counts = ['applied', 'held', 'failed'].map((o) => `${run.steps.filter((s) => s.outcome === o).length} ${o}`)
    this.note(
      run.serial,
      `Profile "${profile.name}" v${profile.version} ${run.status === 'done' ? 'done' : 'failed'} (${counts.join(', ')})${failed ? `: step ${failed.index + 1}, ${failed.detail}` : ''}`,
      run.status === 'done' ? 'info' : 'warn',
      { runId: run.id, profile: profile.name },
    )
    return run
  }

  private write(run: ProfileRun): void {
    try {
      this.profiles.writeRun(run)
      this.d.events.emit('profile.run', { run: structuredClone(run) })
    } catch {
      // The store may be closing under a run the app is stopping.
    }
  }

  private note(serial: string, summary: string, severity: 'info' | 'warn' = 'info', detail?: unknown): void {
    this.d.journal.recordQuietly({ kind: 'script', severity, serial, summary, detail })
  }
}

function definitionOf(p: ProfileRecord): ProfileDefinition {
  const { name, description, enabled, match, when, steps } = p
  return { name, description, enabled, match, when, steps }
}
