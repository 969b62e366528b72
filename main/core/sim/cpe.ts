import type { CpeRequest, CwmpVersion, EventStruct } from '../cwmp'
import { AcsConnection } from './acs-client'
import type { SimEvent, SimEventName, SimulatedCpe } from './api'
import { answerOtherRequest, answerRequest, type AnsweringHost } from './answering'
import { ConnectionRequestListener } from './connection-request'
import { perform, type ActionHost } from './after-session'
import {
  applyIdentity,
  buildInform,
  managementServer,
  placeholders,
  simConnectionRequestPath,
  sortEvents,
} from './identity'
import { ManagementSettings } from './management'
import { DataModel } from './model/data-model'
import type { ModelDefinition } from './model/definition'
import type { DeferredAction } from './rpc'
import { PendingInform } from './pending-inform'
import { runSession } from './session'
import { Transfers } from './transfers'
import { Timers } from './timers'
import { retryDelayMs } from './retry'
import { checkFaults, describeFaults, NO_FAULTS, type CpeFaults } from './faults'
import { deferred, Sleep } from './waits'

export interface CpeConfig {
  index: number
  serial: string
  definition: ModelDefinition
  acsUrl: string
  version: CwmpVersion
  connectionRequestBind: string
  connectionRequestUsername: string
  connectionRequestPassword: string
  acsUsername: string
  acsPassword: string
  periodicInformInterval?: number
  retryMinimumWaitInterval?: number
  keepAlive: boolean
  emit(event: SimEvent): void
  log(line: string): void
}

interface Waiter {
  resolve(): void
  reject(error: Error): void
}

/** A simulated CPE: its data model, its connection-request listener, and its sessions with the ACS. */
export class Cpe implements SimulatedCpe {
  readonly serial: string
  model: DataModel
  sessions = 0
  private listener!: ConnectionRequestListener
  private readonly pending = new PendingInform()
  private readonly settings: ManagementSettings
  private bootstrapped = false
  private retryCount = 0
  private dirty = false
  private driving: Promise<void> | undefined
  private stopped = false
  private waiters: Waiter[] = []
  private connection: AcsConnection | undefined
  private readonly timers = new Timers()
  private readonly transfers: Transfers
  /** Between failed sessions; new events cut it short. */
  private readonly retryWait = new Sleep()
  private readonly firstSession = deferred()
  /** What answering the ACS and the actions after a session see of this CPE. */
  private readonly host: AnsweringHost & ActionHost
  /** Recent log lines, for the "Vendor Log File" upload. */
  readonly history: string[] = []
  private injected: CpeFaults = NO_FAULTS
  /** An injected answer delay; cut short on stop. */
  private readonly answerDelay = new Sleep()

  constructor(private readonly config: CpeConfig) {
    this.serial = config.serial
    this.model = new DataModel(config.definition, placeholders(config.serial, config.index))
    this.transfers = new Transfers(this)
    this.settings = new ManagementSettings(() => this.model, config)
    this.host = {
      faults: () => this.injected,
      model: () => this.model,
      transfers: this.transfers,
      timers: this.timers,
      afterChange: (changed) => this.afterChange(changed),
      factoryReset: () => this.factoryReset(),
      queue: (events) => this.queue(events),
      emit: (name, detail) => this.emit(name, detail),
      say: (text) => this.say(text),
    }
  }

  get connectionRequestUrl(): string {
    return this.listener.url
  }

  /** Resolves after the first session (with 0 BOOTSTRAP) has completed. */
  bootstrappedOnce(): Promise<void> {
    return this.firstSession.promise
  }

  async start(): Promise<void> {
    this.listener = await ConnectionRequestListener.start({
      bind: this.config.connectionRequestBind,
      path: simConnectionRequestPath(this.serial),
      credentials: () => this.settings.connectionRequestCredentials(),
      reachable: () => !this.injected.offline,
      onConnectionRequest: () => {
        this.say('connection request accepted')
        this.queue([{ eventCode: '6 CONNECTION REQUEST', commandKey: '' }])
      },
    })
    this.applyIdentity()
    this.schedulePeriodic()
  }

  /** Powers on: the first session (0 BOOTSTRAP, 1 BOOT) starts now. */
  boot(): void {
    this.queue([{ eventCode: '1 BOOT', commandKey: '' }])
  }

  get(name: string): string | undefined {
    return this.model.get(name)
  }

  get faults(): CpeFaults {
    return this.injected
  }

  /** Injects faults (replacing the previous ones); back online, what queued meanwhile is informed. */
  setFaults(input: unknown): CpeFaults {
    const faults = checkFaults(input)
    const wasOffline = this.injected.offline
    this.injected = faults
    this.say(`faults: ${describeFaults(faults)}`)
    this.emit('faults', faults)
    if (wasOffline && !faults.offline && this.dirty) this.wake()
    return faults
  }

  inform(events: string[] = ['2 PERIODIC']): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`${this.serial} is stopped`))
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject })
      this.queue(events.map((eventCode) => ({ eventCode, commandKey: '' })))
    })
  }

  changeLocally(name: string, value: string): { notification: number } {
    if (this.stopped) throw new Error(`${this.serial} is stopped`)
    const e = this.model.entry(name)
    if (!e || e.object) throw new Error(`${this.serial} has no parameter ${name}`)
    this.model.set(name, value)
    const { notification } = this.model.attributesOf(name)
    if (notification !== 1 && notification !== 2) return { notification }
    this.pending.valueChanged(name)
    const event = { eventCode: '4 VALUE CHANGE', commandKey: '' }
    this.say(`${name} changed locally (notification ${notification === 2 ? 'active' : 'passive'})`)
    // Active: a session now. Passive: with the next session, whatever starts it.
    if (notification === 2) this.queue([event])
    else this.pending.add([event])
    return { notification }
  }

  /** Power cycle: the configuration survives, the next session says 1 BOOT. */
  async restart(): Promise<void> {
    await this.idle()
    this.model.bootTime = Date.now()
    this.emit('rebooted', 'restart')
    return this.inform(['1 BOOT'])
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.timers.clear()
    this.transfers.stop()
    this.retryWait.wake()
    this.answerDelay.wake()
    this.connection?.close()
    const error = new Error(`${this.serial} was stopped`)
    for (const w of this.waiters.splice(0)) w.reject(error)
    this.firstSession.reject(error)
    await Promise.allSettled([this.driving, this.listener?.close()])
  }

  // ---- events and the session loop ----

  /** Adds events for the next Inform and makes sure a session will carry them. */
  queue(events: EventStruct[]): void {
    this.pending.add(events)
    this.wake()
  }

  wake(): void {
    if (this.stopped) return
    this.dirty = true
    // Offline: no session now; the events wait for setFaults() to bring the CPE back.
    if (this.injected.offline) return
    this.retryWait.wake()
    // An inform() that lands after drive() left its loop but before this finally ran would find
    // `driving` still set and start nothing: pick its events up here.
    this.driving ??= this.drive().finally(() => {
      this.driving = undefined
      if (this.dirty && !this.stopped) this.wake()
    })
  }

  /** Waits until no session is running or about to run. */
  async idle(): Promise<void> {
    while (this.driving) await this.driving
  }

  private async drive(): Promise<void> {
    while (this.dirty && !this.stopped && !this.injected.offline) {
      this.dirty = false
      const ok = await this.attempt()
      if (!ok && !this.stopped) {
        this.dirty = true
        await this.backoff()
      }
    }
  }

  private informEvents(pending: EventStruct[]): EventStruct[] {
    const events = [...pending, ...this.transfers.informEvents()]
    if (!this.bootstrapped && !events.some((e) => e.eventCode === '0 BOOTSTRAP'))
      events.push({ eventCode: '0 BOOTSTRAP', commandKey: '' })
    return sortEvents(events)
  }

  /** One session attempt. Returns false when it failed (and should be retried). */
  private async attempt(): Promise<boolean> {
    const { events: pending, notified } = this.pending.take()
    const events = this.informEvents(pending)
    const completed = this.transfers.completions()
    const codes = events.map((e) => e.eventCode)
    const waiters = this.waiters.splice(0)
    const actions: DeferredAction[] = []
    const url = this.settings.acsUrl()
    const connection = new AcsConnection(url, () => this.settings.acsCredentials(), this.config.keepAlive)
    this.connection = connection
    const started = Date.now()
    this.emit('session-start', codes)
    const inform = buildInform(
      this.model,
      this.serial,
      events,
      this.retryCount,
      notified.map(([name]) => name),
    )
    try {
      const offered = new Set<CpeRequest>()
      // Only transfers this session's Inform announced ("7 TRANSFER COMPLETE") are reported in it:
      // one that ends while the session runs waits for the next, whose Inform has what it installed.
      const reportable = new Set(completed)
      const exchanges = await runSession({
        version: this.config.version,
        connection,
        inform,
        nextRequest: () => {
          const next = this.transfers.completions().find((r) => reportable.has(r) && !offered.has(r))
          if (next) offered.add(next)
          return next
        },
        hasSendable: () => this.transfers.completions().some((r) => reportable.has(r) && !offered.has(r)),
        delivered: (req) => this.transfers.delivered(req),
        refused: (req, f) => this.say(`ACS answered ${req.method} with fault ${f.faultCode}; will retry next session`),
        answer: (req) => answerRequest(this.host, req, actions),
        pause: () => this.slowly(),
        other: (req) => answerOtherRequest(this.host, req),
        received: (xml) => this.emit('received', xml),
      })
      this.sessions++
      this.retryCount = 0
      // Reported; a change made while this session ran goes in the next one.
      this.pending.delivered(events, notified)
      const wasBootstrap = codes.includes('0 BOOTSTRAP')
      if (wasBootstrap && this.settings.acsUrl() === url) this.bootstrapped = true
      this.say(`session ${this.sessions} [${codes.join(', ')}] done: ${exchanges} messages, ${Date.now() - started} ms`)
      this.emit('session-end', { ok: true, events: codes, messages: exchanges })
      for (const w of waiters) w.resolve()
      if (wasBootstrap) this.firstSession.resolve()
      // A TransferComplete the ACS held or refused goes again in a later session, not at once.
      if (this.transfers.completions().length && !this.dirty)
        this.timers.once(retryDelayMs(1, this.settings.retryMinimumWait()), () => this.wake())
      return true
    } catch (error) {
      const message = (error as Error).message
      this.retryCount++
      if (!this.stopped) {
        this.say(`session [${codes.join(', ')}] failed: ${message}`)
        this.emit('error', message)
      }
      this.emit('session-end', { ok: false, events: codes, error: message })
      for (const w of waiters) w.reject(error as Error)
      return false
    } finally {
      connection.close()
      this.connection = undefined
      for (const action of actions) if (!this.stopped) perform(this.host, action)
    }
  }

  /** An injected answer delay: waits before each answer, cut short when the CPE stops. */
  private async slowly(): Promise<void> {
    const ms = this.injected.answerDelayMs
    if (ms <= 0 || this.stopped) return
    await this.answerDelay.for(ms)
  }

  private async backoff(): Promise<void> {
    const ms = retryDelayMs(this.retryCount, this.settings.retryMinimumWait(), this.settings.retryIntervalMultiplier())
    this.say(`retry ${this.retryCount} in ${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`)
    await this.retryWait.for(ms)
  }

  // ---- what happens after a session ----

  /** FactoryReset: the model's defaults again, no transfers, and a new bootstrap. */
  private factoryReset(): void {
    this.transfers.clear()
    this.model = new DataModel(this.config.definition, placeholders(this.serial, this.config.index))
    this.applyIdentity()
    this.bootstrapped = false
    this.pending.clear()
    this.schedulePeriodic()
  }

  /** Reacts to SetParameterValues of the ManagementServer settings a CPE acts on. */
  private afterChange(changed: string[]): void {
    const ms = managementServer(this.model)
    if (!ms) return
    if (changed.some((n) => n === `${ms}PeriodicInformInterval` || n === `${ms}PeriodicInformEnable`))
      this.schedulePeriodic()
    // A new ACS URL means a new ACS: bootstrap with it (TR-069 3.2.1) once this session ends.
    if (changed.includes(`${ms}URL`)) {
      this.bootstrapped = false
      this.dirty = true
    }
  }

  private schedulePeriodic(): void {
    this.timers.cancel('periodic')
    const interval = this.settings.periodicInterval()
    if (interval === undefined) return
    // A fleet that booted together should not inform together for ever: each CPE's first
    // PERIODIC comes at its own point in [½, 1) of the interval, then every interval.
    const phase = 0.5 + ((this.config.index * 37) % 100) / 200
    this.timers.repeat(
      'periodic',
      interval * 1000,
      () => this.queue([{ eventCode: '2 PERIODIC', commandKey: '' }]),
      interval * 1000 * phase,
    )
  }

  /** Writes what the CPE is (serial, URLs, credentials) into its model. */
  private applyIdentity(): void {
    applyIdentity(this.model, { ...this.config, connectionRequestUrl: this.listener.url })
  }

  // ---- output ----

  emit(name: SimEventName, detail?: unknown): void {
    this.config.emit({ serial: this.serial, name, detail })
  }

  say(text: string): void {
    const line = `${this.serial} ${text}`
    this.history.push(`${new Date().toISOString()} ${text}`)
    if (this.history.length > 200) this.history.shift()
    this.config.log(line)
  }
}
