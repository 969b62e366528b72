import { setMaxListeners } from 'node:events'
import type { BenchConfig } from '../config'
import type { Journal } from '../journal'
import type { Store } from '../store'
import {
  ConnectionRequestFailure,
  crUrlRefusal,
  sendConnectionRequest,
  type ConnectionRequestResult,
} from './connection-request'
import type { DevicePolicies } from './device-policy'
import type { RpcQueue } from './rpc-queue'
import { ConnectionRequestError, UnknownDeviceError } from './types'

export interface WakerDeps {
  config: BenchConfig
  store: Store
  journal: Journal
  policies: DevicePolicies
  queue: RpcQueue
  inSession(serial: string): boolean
  /** First back-off delay, ms (doubles per retry). */
  backoffMs?: number
}

/**
 * Connection requests: the one the technician asks for (wake), and the one the ACS sends itself
 * when work is queued for a device that is not in a session, at most one in flight per device.
 */
export class Waker {
  private readonly waking = new Map<string, Promise<void>>()
  private readonly stop = new AbortController()

  constructor(private readonly d: WakerDeps) {
    // Every connection request in flight listens to this one signal; a fleet has hundreds.
    setMaxListeners(0, this.stop.signal)
  }

  /**
   * Sends a connection request now, with the credentials the device reported or those in
   * config.connectionRequest. Resolves once the CPE accepted it (its session follows within
   * seconds); rejects with ConnectionRequestError saying why not.
   */
  async wake(serial: string): Promise<ConnectionRequestResult> {
    const device = this.d.store.devices.get(serial)
    if (!device) throw new UnknownDeviceError(serial)
    const cr = this.d.config.connectionRequest
    const url = device.connectionRequestUrl
    const credentials = {
      username: device.connectionRequestUsername || cr.username,
      password: device.connectionRequestPassword || cr.password,
    }
    const policy = this.d.policies.get(serial)
    try {
      const refusal = crUrlRefusal(url, policy)
      if (refusal) throw new ConnectionRequestFailure(refusal, undefined, true)
      const result = await sendConnectionRequest(
        { url, credentials },
        {
          timeoutMs: cr.timeoutMs,
          retries: cr.retries,
          backoffMs: this.d.backoffMs,
          signal: this.stop.signal,
          allowBasic: policy.allowBasicCr === true,
        },
      )
      this.d.journal.recordQuietly({
        kind: 'connection-request',
        serial,
        summary: `Connection request accepted (HTTP ${result.status}${result.auth === 'none' ? '' : `, ${result.auth}`}${result.attempts > 1 ? `, ${result.attempts} attempts` : ''}, ${result.durationMs} ms)`,
        detail: { url, ...result },
      })
      return result
    } catch (error) {
      const reason = error instanceof ConnectionRequestFailure ? error.reason : String(error)
      const refused = error instanceof ConnectionRequestFailure && error.refused
      this.d.journal.recordQuietly({
        kind: refused ? 'security' : 'connection-request',
        severity: 'warn',
        serial,
        summary: `Connection request ${refused ? 'refused' : 'failed'}: ${reason}`,
        detail: { url, reason, username: credentials.username, sessionAddress: policy.sessionAddress ?? null },
      })
      throw new ConnectionRequestError(serial, url, reason)
    }
  }

  /** Wakes the device for the work queued for it, unless a connection request is already under way. */
  ensure(serial: string): void {
    if (this.stop.signal.aborted || this.waking.has(serial)) return
    // The work this connection request is for. Work queued while it is under way (its retries can
    // take many seconds, and the device may come by itself and go again meanwhile) is not failed
    // by its outcome: if it fails, that work gets a connection request of its own.
    const covered = new Set(this.d.queue.queuedFor(serial))
    let again = false
    const attempt = this.wake(serial).then(
      () => undefined,
      (error: Error) => {
        // The device may have come by itself in the meantime; then nothing failed.
        if (this.d.inSession(serial)) return
        this.d.queue.failQueued(
          serial,
          (entry) => covered.has(entry) && entry.onUnreachable === 'fail',
          () => error,
        )
        again = this.d.queue.queuedFor(serial).some((entry) => !covered.has(entry))
      },
    )
    this.waking.set(serial, attempt)
    void attempt.finally(() => {
      this.waking.delete(serial)
      if (again && !this.d.inSession(serial)) this.ensure(serial)
    })
  }

  /** Cuts off the connection requests in flight; no new one is sent. */
  abort(): void {
    this.stop.abort()
  }

  /** Settles once every connection request in flight has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.waking.values()])
  }
}
