import { BenchError, errorMessage } from '../errors'
import type { BenchEvents } from '../events'
import { startSimulator } from './index'
import type { SimFleet, SimulatedCpe } from './api'
import { describeFaults, FaultInputError, type CpeFaults } from './faults'
import { BUILTIN_MODELS } from './model/load'

/** A laptop serves a bench, not a data centre: past this, use the `bench-acs sim` command. */
export const SIM_MAX_CPES = 10_000
/** Serial prefixes of the bench's own fleet: letters, digits, - and _ (they end up in NATS subjects). */
export const SIM_MAX_PREFIX = 32

export interface SimModel {
  id: string
  label: string
}

/** What the bench's own fleet of simulated CPEs is doing. */
export interface SimStatus {
  running: boolean
  /** Starting: listeners opening and first sessions under way. */
  starting: boolean
  count: number
  /** CPEs that have completed at least one session with the ACS. */
  informed: number
  model: string | null
  /** The running (or starting) fleet's serial prefix; null when none runs. */
  serialPrefix: string | null
  /** Seconds between its periodic informs (0: off); null when none runs or it keeps the model's own. */
  periodicInformInterval: number | null
  /** The first serials of the fleet (at most 200). */
  serials: string[]
  acsUrl: string | null
  /** The CPEs with injected faults (offline, refused RPCs, slow answers), by serial. */
  faulted: { serial: string; faults: CpeFaults; summary: string }[]
  error?: string
}

export interface SimStartRequest {
  count: number
  /** A built-in model ("tr098", "tr181") or a model file. */
  model?: string
  serialPrefix?: string
  /** Seconds between periodic informs; 0 turns them off (default: the model's). */
  periodicInformInterval?: number
}

/** The credentials the fleet's CPEs use: the bench's own, so that it can wake them and they can inform. */
export interface SimCredentials {
  connectionRequestUsername: string
  connectionRequestPassword: string
  acsUsername?: string
  acsPassword?: string
}

export interface SimServiceDeps {
  events: BenchEvents
  /** The URL this bench's CPEs inform to (its own ACS listener), or null while it is not listening. */
  acsUrl(): string | null
  credentials(): SimCredentials
}

const MODEL_LABELS: Record<string, string> = {
  tr098: 'TR-098 home gateway (Huawei BM632w data model)',
  tr181: 'TR-181 router (Device:2)',
}

/**
 * The bench's own fleet of simulated CPEs (the Simulator page): one at a time, pointed at this
 * bench's ACS listener with its credentials. Started without waiting for every BOOTSTRAP, so the
 * status shows progress ("sim.status" events) as CPEs come in.
 */
export class SimService {
  private fleet: SimFleet | null = null
  private starting = false
  private model: string | null = null
  /** What the running (or starting) fleet was started with. */
  private request: { count: number; serialPrefix: string; periodicInformInterval: number | null } | null = null
  private acsUrl: string | null = null
  private error: string | undefined
  private readonly informed = new Set<string>()

  constructor(private readonly d: SimServiceDeps) {}

  models(): SimModel[] {
    return Object.keys(BUILTIN_MODELS).map((id) => ({ id, label: MODEL_LABELS[id] ?? id }))
  }

  status(): SimStatus {
    const fleet = this.fleet
    const request = fleet || this.starting ? this.request : null
    return {
      running: Boolean(fleet),
      starting: this.starting,
      count: fleet?.cpes.length ?? request?.count ?? 0,
      informed: this.informed.size,
      model: this.model,
      serialPrefix: request?.serialPrefix ?? null,
      periodicInformInterval: request?.periodicInformInterval ?? null,
      serials: fleet ? fleet.cpes.slice(0, 200).map((c) => c.serial) : [],
      acsUrl: this.acsUrl,
      faulted: fleet
        ? fleet.cpes
            .filter((c) => c.faults.offline || c.faults.refuse.length > 0 || c.faults.answerDelayMs > 0)
            .slice(0, 200)
            .map((c) => ({ serial: c.serial, faults: c.faults, summary: describeFaults(c.faults) }))
        : [],
      ...(this.error ? { error: this.error } : {}),
    }
  }

  async start(request: SimStartRequest): Promise<SimStatus> {
    const { count } = request
    if (!Number.isInteger(count) || count < 1 || count > SIM_MAX_CPES)
      throw new BenchError('input', `The number of CPEs is a whole number from 1 to ${SIM_MAX_CPES}.`)
    const serialPrefix = request.serialPrefix || 'SIM'
    if (serialPrefix.length > SIM_MAX_PREFIX || !/^[A-Za-z0-9_-]+$/.test(serialPrefix))
      throw new BenchError('input', `The serial prefix is up to ${SIM_MAX_PREFIX} letters, digits, - and _.`)
    const interval = request.periodicInformInterval
    if (interval !== undefined && !(Number.isInteger(interval) && interval >= 0 && interval <= 86_400))
      throw new BenchError('input', 'The inform interval is 0 (off) or up to 86400 seconds.')
    if (this.fleet || this.starting)
      throw new BenchError('input', 'Simulated CPEs are already running: stop them first.')
    const acsUrl = this.d.acsUrl()
    if (!acsUrl)
      throw new BenchError(
        'unavailable',
        'The ACS is not listening, so simulated CPEs have nowhere to inform. See Settings.',
      )
    const model = request.model || 'tr098'
    this.acsUrl = acsUrl
    this.starting = true
    this.error = undefined
    this.model = model
    this.request = { count, serialPrefix, periodicInformInterval: interval ?? null }
    this.informed.clear()
    this.publish()
    try {
      const fleet = await startSimulator({
        acsUrl,
        count,
        model,
        serialPrefix,
        ...(interval !== undefined ? { periodicInformInterval: interval } : {}),
        waitForBootstrap: false,
        ...this.d.credentials(),
      })
      this.fleet = fleet
      fleet.on((event) => {
        if (event.name === 'session-end' && !this.informed.has(event.serial)) {
          this.informed.add(event.serial)
          this.publish()
        }
      })
    } catch (e) {
      this.error = `The simulator could not start: ${errorMessage(e)}`
      throw new BenchError('input', this.error)
    } finally {
      this.starting = false
      this.publish()
    }
    return this.status()
  }

  /** A CPE of the running fleet, or undefined (the CPE check asks whether a device is one of ours). */
  cpe(serial: string): SimulatedCpe | undefined {
    return this.fleet?.cpes.find((c) => c.serial === serial)
  }

  /**
   * Changes a value on one simulated CPE as its user would (SimulatedCpe.changeLocally): with
   * Notification 2 it informs "4 VALUE CHANGE" at once, with 1 at its next session.
   */
  changeLocally(serial: string, name: string, value: string): { notification: number } {
    const cpe = this.cpe(serial)
    if (!cpe) throw new BenchError('not-found', `${serial} is not one of the running simulated CPEs.`)
    try {
      return cpe.changeLocally(name, value)
    } catch (e) {
      throw new BenchError('input', errorMessage(e))
    }
  }

  async stop(): Promise<SimStatus> {
    const fleet = this.fleet
    this.fleet = null
    this.informed.clear()
    if (fleet) await fleet.stop()
    this.publish()
    return this.status()
  }

  /**
   * Injects faults into one CPE of the fleet, replacing its previous ones ({} clears them):
   * offline, RPCs refused with a CWMP fault, a delay before each answer (faults.ts).
   */
  setFaults(serial: string, faults: unknown): SimStatus {
    const cpe = this.fleet?.cpes.find((c) => c.serial === serial)
    if (!cpe) throw new BenchError('not-found', `No simulated CPE ${serial} is running here.`)
    try {
      cpe.setFaults(faults)
    } catch (e) {
      if (e instanceof FaultInputError) throw new BenchError('input', `Faults for ${serial}: ${e.message}.`)
      throw e
    }
    this.publish()
    return this.status()
  }

  /** Stops the fleet; the bench calls it before the ACS closes. */
  async close(): Promise<void> {
    await this.stop()
  }

  private publish(): void {
    this.d.events.emit('sim.status', this.status())
  }
}

// The simulator's events on the bench's bus (main/core/events.ts).
declare module '../events' {
  interface BenchEventMap {
    /** The bench's own fleet started, stopped, or another CPE completed its first session. */
    'sim.status': SimStatus
  }
}
