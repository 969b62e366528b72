import type { AcsMethod, AcsRequest, ResponseFor } from '../cwmp/types'
import { BenchError } from '../errors'

/**
 * The contract the rest of the core (Lua host functions, the UI API, triggers) uses to talk to
 * devices. Implemented by the ACS in this folder.
 */
export interface RpcOptions {
  /** Give up waiting for the CPE's answer after this long, ms (default: config.cwmp.rpcTimeoutMs). */
  timeoutMs?: number
  /**
   * What to do when the device is not in a session and the connection request fails:
   * "fail" rejects at once with ConnectionRequestError; "wait" keeps the RPC queued for the
   * device's next Inform (until the timeout). Default "fail".
   */
  onUnreachable?: 'fail' | 'wait'
  /** Who asked, for the event log: "ui", "script:<runId>", "cli", … */
  source?: string
  /** Cancels the RPC if it has not been sent yet (e.g. a script run that was stopped). */
  signal?: AbortSignal
  /**
   * After the CPE answers, keep its session open this long (ms) for the caller's next RPC instead
   * of ending it at once. A caller that sends several RPCs in a row (a script, a refresh that is
   * GetParameterNames then GetParameterValues) then needs one connection request and one session,
   * not one per RPC. Capped at half the session timeout; 0 or absent: end when the queue is empty.
   */
  holdSessionMs?: number
}

export interface RpcExecutor {
  /**
   * Queues an RPC for a device, wakes the device with a connection request when it is not in a
   * session, and resolves with the CPE's typed response. Rejects with CwmpFaultError when the CPE
   * answers with a fault, RpcTimeoutError when no answer arrives in time, ConnectionRequestError
   * when the device cannot be woken (see onUnreachable), UnknownDeviceError for a serial never seen.
   * The stored parameter tree is updated from the response before the promise resolves.
   */
  execute<M extends AcsMethod>(
    serial: string,
    request: Extract<AcsRequest, { method: M }>,
    options?: RpcOptions,
  ): Promise<ResponseFor<M>>
}

export class RpcTimeoutError extends BenchError {
  constructor(
    readonly serial: string,
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super('unavailable', `${method} to ${serial} got no answer within ${Math.round(timeoutMs / 1000)} s`)
  }
}

export class ConnectionRequestError extends BenchError {
  constructor(
    readonly serial: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super('unavailable', `connection request to ${serial} at ${url || '(no URL reported)'} failed: ${reason}`)
  }
}

export class UnknownDeviceError extends BenchError {
  constructor(readonly serial: string) {
    super('not-found', `device ${serial} is not known: it has never sent an Inform to this ACS`)
  }
}

export class RpcCancelledError extends BenchError {
  constructor(
    readonly serial: string,
    readonly method: string,
  ) {
    super('unavailable', `${method} to ${serial} was cancelled before it was sent`)
  }
}

/** A queued or recently finished RPC, for the UI's device page. */
export interface RpcInfo {
  id: string
  serial: string
  /** The RPC's element name: an AcsMethod, or a raw request's own (e.g. "X_ACME_Diagnose"). */
  method: string
  source: string
  state: 'queued' | 'sent' | 'done' | 'fault' | 'timeout' | 'cancelled' | 'error'
  queuedAt: number
  sentAt?: number
  finishedAt?: number
  fault?: { code: number; message: string }
  error?: string
}
