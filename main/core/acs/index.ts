import { CWMP_LIMITS } from '../cwmp/limits'
import type { AcsMethod, AcsRequest, ResponseFor } from '../cwmp/types'
import type { BenchConfig } from '../config'
import type { BenchEvents, Emit } from '../events'
import type { Journal } from '../journal'
import type { DeviceRecord, Store } from '../store'
import type { ConnectionRequestResult } from './connection-request'
import { cwmpUrls } from './addresses'
import { CpeAuthenticator } from './cpe-auth'
import { DevicePolicies, type DevicePolicy, type DevicePolicyPatch } from './device-policy'
import { MemoryTransferTracker, type TransferTracker } from './cpe-requests'
import { SessionEngine } from './engine'
import { ProblemLog } from './problems'
import type { RpcQueue } from './rpc-queue'
import { followTransfers, journaledQueue } from './rpc-records'
import { CwmpListener } from './server'
import { cutShortByCrash } from './session-log'
import { SessionRegistry, sessionInfo, type SessionInfo } from './sessions'
import { sweepStatuses } from './status'
import {
  UnknownDeviceError,
  UnknownRpcError,
  type HttpRoute,
  type ReadResult,
  type RpcExecutor,
  type RpcInfo,
  type RpcOptions,
} from './types'
import { CapabilityStore, type DeviceCapabilities } from './capabilities'
import { Discovery } from './discovery'
import { DeathCounter, requestKey, UnstableRequestError } from './liveness'
import { observeAnswer, readValues } from './reads'
import { Waker } from './wake'

export * from './types'
export { ListenError } from './listen-error'
export type { SessionInfo } from './sessions'
export type { ConnectionRequestResult } from './connection-request'
export type { DevicePolicy, DevicePolicyPatch } from './device-policy'
export type { TrackedTransfer, TransferTracker } from './cpe-requests'
export type { DeviceCapabilities, UnstableMark, PartialPathSupport } from './capabilities'
export { UnstableRequestError, SessionDiedError } from './liveness'

export interface AcsDeps {
  config: BenchConfig
  store: Store
  journal: Journal
  events: BenchEvents
}

export interface AcsOptions {
  /** How often device statuses are checked (overdue → offline), ms. Default 30 s; 0 turns it off. */
  statusSweepMs?: number
  /** First connection-request back-off delay, ms (doubles per retry). Default 500. */
  connectionRequestBackoffMs?: number
  /** Where accepted Downloads/Uploads wait for their TransferComplete (default: in memory). */
  transfers?: TransferTracker
  /**
   * The clock Informs are stamped with (lastInform, the gaps between Informs) and the status
   * sweep reads, ms since the epoch. Default Date.now; tests move it to see a device go offline.
   */
  now?: () => number
}

export interface AcsAddress {
  port: number
  bind: string
  tls: boolean
  /** The URL to give CPEs: the first of `urls`. */
  url: string
  /** One URL per non-internal IPv4 address when bound to all interfaces, else the bound address. */
  urls: string[]
}

/**
 * The ACS: the CWMP listener, sessions, the per-device RPC queue and connection requests. Built
 * by createBench; nothing listens until listen() is called, so callers choose the port.
 */
export class Acs implements RpcExecutor {
  private readonly queue: RpcQueue
  private readonly sessions: SessionRegistry
  private readonly engine: SessionEngine
  private readonly listener: CwmpListener
  private readonly policies: DevicePolicies
  private readonly caps: CapabilityStore
  private readonly deaths: DeathCounter
  private readonly waker: Waker
  private readonly routes: HttpRoute[] = []
  private sweepTimer: NodeJS.Timeout | undefined
  private bound: AcsAddress | undefined
  private closed = false

  constructor(
    private readonly d: AcsDeps,
    private readonly options: AcsOptions = {},
  ) {
    const problems = new ProblemLog(d.journal)
    const committed = (fn: () => void) => d.journal.afterCommit(fn)
    this.policies = new DevicePolicies(d.store, committed)
    this.caps = new CapabilityStore(d.store, committed)
    this.deaths = new DeathCounter(this.caps)
    const discovery = new Discovery({
      read: (serial, names, options) => this.readValues(serial, names, options),
      execute: (serial, request, options) => this.execute(serial, request, options),
      journal: d.journal,
      holdSessionMs: () => d.config.cwmp.holdSessionMs,
      // Its steps keep the session open for the next one; after the last, nothing is coming.
      done: (serial) => this.engine.noMoreWork(serial),
    })
    // Bench events wait for the transaction that wrote what they announce.
    const emit: Emit = (name, payload) => d.journal.afterCommit(() => d.events.emit(name, payload))
    this.queue = journaledQueue(d.journal, emit)
    followTransfers(d.events, this.queue)
    this.waker = new Waker({
      ...d,
      policies: this.policies,
      queue: this.queue,
      inSession: (serial) => this.inSession(serial),
      backoffMs: options.connectionRequestBackoffMs,
    })
    this.sessions = new SessionRegistry(
      () => d.config.cwmp.sessionTimeoutMs,
      (session) => this.engine.end(session, 'timeout'),
    )
    this.engine = new SessionEngine({
      ...d,
      emit,
      queue: this.queue,
      sessions: this.sessions,
      transfers: options.transfers ?? new MemoryTransferTracker(),
      problems,
      policies: this.policies,
      capabilities: this.caps,
      deaths: this.deaths,
      wake: (serial) => this.waker.ensure(serial),
      discover: (serial, root) => discovery.start(serial, root),
      now: options.now ?? Date.now,
      observe: (serial, request, body) => {
        if (body.method !== 'Fault') this.deaths.answered(serial, request)
        observeAnswer({ capabilities: this.caps, store: d.store }, serial, request, body)
      },
    })
    // Routine sessions a crash left open go to the outbox with what they had (no session is open yet).
    d.store.events.recoverUnsynced(cutShortByCrash)
    this.listener = new CwmpListener({
      cwmp: () => d.config.cwmp,
      engine: this.engine,
      sessions: this.sessions,
      auth: new CpeAuthenticator(() => d.config.cwmp.auth),
      problems,
      journal: d.journal,
      policies: this.policies,
      routes: () => this.routes,
    })
  }

  /** Serves something else on the CWMP port (the file library: main/core/files/server.ts). */
  addRoute(route: HttpRoute): void {
    this.routes.push(route)
  }

  /**
   * The base URL ("http://192.168.1.10:7547/") at which a device reaches this machine: the local
   * address its own sessions arrive on, so a file URL never names an interface the CPE is not on
   * (nor 127.0.0.1 for a remote CPE). Before its first session with this version: the first of the
   * listener's URLs. Undefined while the ACS is not listening.
   */
  baseUrlFor(serial: string): string | undefined {
    const bound = this.bound
    if (!bound) return undefined
    const local = this.policies.get(serial).sessionLocalAddress
    if (!local) return bound.url
    const host = local.includes(':') ? `[${local}]` : local
    return `${bound.tls ? 'https' : 'http'}://${host}:${bound.port}/`
  }

  /** Starts the CWMP listener on config.cwmp.port / bind (port 0: any free port). */
  async listen(): Promise<AcsAddress> {
    if (this.closed) throw new Error('the ACS has been closed')
    if (this.bound) return this.bound
    const info = await this.listener.listen()
    const urls = cwmpUrls(this.d.config.cwmp.bind, info.port, info.tls)
    this.bound = { port: info.port, bind: this.d.config.cwmp.bind, tls: info.tls, url: urls[0]!, urls }
    // Statuses left "in session" by a previous run that ended abruptly are corrected at once.
    this.sweep()
    const every = this.options.statusSweepMs ?? 30_000
    if (every > 0) {
      this.sweepTimer = setInterval(() => this.sweep(), every)
      this.sweepTimer.unref?.()
    }
    return this.bound
  }

  /** When a CWMP request was last being handled (performance.now(); now while one is): retention paces itself by it. */
  lastActive(): number {
    return this.listener.lastActive()
  }

  /** Where the listener is bound, once listen() resolved. */
  get address(): AcsAddress | undefined {
    return this.bound
  }

  /**
   * Applies changed listener settings (config.cwmp port, bind, TLS) by closing the listener and
   * listening again; the Settings page calls it. Open connections are cut (their sessions time
   * out), queued RPCs stay queued. When the new address cannot be bound, the ACS is left not
   * listening and the ListenError says why.
   */
  async relisten(): Promise<AcsAddress> {
    if (this.closed) throw new Error('the ACS has been closed')
    clearInterval(this.sweepTimer)
    this.bound = undefined
    await this.listener.close()
    return this.listen()
  }

  execute<M extends AcsMethod>(
    serial: string,
    request: Extract<AcsRequest, { method: M }>,
    options: RpcOptions = {},
  ): Promise<ResponseFor<M>> {
    if (this.closed) return Promise.reject(new Error('the ACS is stopped'))
    // The CPE echoes a CommandKey back (TransferComplete, "M Reboot" in its next Inform), and the
    // ACS refuses one longer than TR-069's string(32) from it: never send one.
    const key = (request as { commandKey?: unknown }).commandKey
    if (typeof key === 'string' && [...key].length > CWMP_LIMITS.commandKey)
      return Promise.reject(
        new RangeError(
          `${request.method}: CommandKey is ${[...key].length} characters long; at most ${CWMP_LIMITS.commandKey} are allowed (TR-069)`,
        ),
      )
    const inSession = this.inSession(serial)
    if (!inSession && !this.d.store.devices.get(serial)) return Promise.reject(new UnknownDeviceError(serial))
    // What killed this device's sessions twice is not sent again until the technician retries it.
    const unstable = this.caps.get(serial).unstable
    if (unstable && unstable.key === requestKey(request))
      return Promise.reject(new UnstableRequestError(serial, unstable))
    const promise = this.queue.enqueue(serial, request, options, this.d.config.cwmp.rpcTimeoutMs)
    if (inSession) this.engine.workArrived(serial)
    else this.waker.ensure(serial)
    return promise as Promise<ResponseFor<M>>
  }

  readValues(serial: string, names: string[], options: RpcOptions = {}): Promise<ReadResult> {
    return readValues(
      {
        execute: (s, request, o) => this.execute(s, request, o),
        capabilities: this.caps,
        store: this.d.store,
        batchSize: () => this.d.config.cwmp.readBatchSize,
        holdSessionMs: () => this.d.config.cwmp.holdSessionMs,
      },
      serial,
      names,
      options,
    )
  }

  /** What the ACS learned about how the device behaves (device page, `bench-acs devices --json`). */
  capabilities(serial: string): DeviceCapabilities {
    return this.caps.get(serial)
  }

  /**
   * Sends a finished RPC's request again (the RPCs tab's Retry). A request the device was marked
   * unstable on is allowed again: the technician decided to try.
   */
  retry(rpcId: string, options: RpcOptions = {}): Promise<unknown> {
    const found = this.queue.requestOf(rpcId)
    if (!found) return Promise.reject(new UnknownRpcError(rpcId))
    const { serial, request } = found
    const mark = this.caps.get(serial).unstable
    if (mark && mark.key === requestKey(request)) {
      this.caps.markUnstable(serial, null)
      this.deaths.reset(serial)
      this.d.journal.recordQuietly({
        kind: 'system',
        serial,
        summary: `${serial} is no longer marked unstable: ${mark.method} retried`,
      })
    }
    return this.execute(serial, request, options)
  }

  /** The device's queued and in-flight RPCs (oldest first), then its recent finished ones. */
  rpcs(serial: string): RpcInfo[] {
    return this.queue.infos(serial)
  }

  /**
   * Cancels a queued RPC, or stops waiting for one the CPE is handling (its answer is still
   * stored if it comes); false once it finished (or is unknown).
   */
  cancel(rpcId: string): boolean {
    return this.queue.cancel(rpcId) || this.queue.cancelSent(rpcId)
  }

  inSession(serial: string): boolean {
    return this.sessions.openFor(serial) !== undefined
  }

  activeSessions(): SessionInfo[] {
    return this.sessions.open().map(sessionInfo)
  }

  /**
   * Sends a connection request now, with the credentials the device reported or those in
   * config.connectionRequest. Resolves once the CPE accepted it (its session follows within
   * seconds); rejects with ConnectionRequestError saying why not.
   */
  wake(serial: string): Promise<ConnectionRequestResult> {
    return this.waker.wake(serial)
  }

  /** Request bodies being received or handled right now (see docs/acs.md, "Bad input"). */
  bodyLoad(): { pendingBodies: number; bufferedBytes: number } {
    return this.listener.load()
  }

  /** What the ACS trusts about a device beyond what it says (see DevicePolicy). */
  devicePolicy(serial: string): DevicePolicy {
    return this.policies.get(serial)
  }

  /** Forgets what the technician allowed for a device that is removed from the list. */
  forgetDevicePolicy(serial: string): void {
    this.policies.remove(serial)
  }

  /** Forgets what was learned about a device removed from the list: a new one may share its serial. */
  forgetCapabilities(serial: string): void {
    this.caps.remove(serial)
  }

  /**
   * The technician's per-device choices: a confirmed connection request URL, Basic allowed for
   * its connection requests, cookie-less messages matched by address. Logged as a security event.
   */
  setDevicePolicy(serial: string, patch: DevicePolicyPatch): DevicePolicy {
    if (!this.d.store.devices.get(serial)) throw new UnknownDeviceError(serial)
    const policy = this.policies.set(serial, patch)
    this.d.journal.recordQuietly({
      kind: 'security',
      serial,
      summary: `Device settings of ${serial} changed: ${JSON.stringify(patch)}`,
      detail: { patch, policy },
    })
    return policy
  }

  /** Runs the status sweep now (tests pass a future `now`). */
  sweep(now = (this.options.now ?? Date.now)()): DeviceRecord[] {
    try {
      return sweepStatuses({ ...this.d, capabilities: this.caps }, (serial) => this.inSession(serial), now)
    } catch (error) {
      this.d.journal.recordQuietly({
        kind: 'system',
        severity: 'error',
        summary: `Device status sweep failed: ${String(error)}`,
      })
      return []
    }
  }

  /** Stops listening, ends open sessions, and fails RPCs still waiting. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.sweepTimer)
    this.waker.abort()
    this.engine.releaseAll()
    await this.listener.close()
    for (const session of this.sessions.open()) this.engine.end(session, 'closed')
    this.queue.failAll(
      (entry) => new Error(`the ACS stopped before ${entry.info.method} to ${entry.info.serial} was answered`),
    )
    this.sessions.clear()
    await this.waker.settled()
  }
}
