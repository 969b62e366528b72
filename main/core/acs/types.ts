import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AcsMethod, AcsRequest, ParameterValueStruct, ResponseFor } from '../cwmp/types'
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

/** The values a read returned, and the single names the CPE said it does not have (9005). */
export interface ReadResult {
  method: 'GetParameterValuesResponse'
  parameterList: ParameterValueStruct[]
  missing: string[]
}

export interface RpcExecutor {
  /**
   * Reads parameter values; a partial path ("X.DeviceInfo.") works on every CPE, also those that
   * do not support them in GetParameterValues (see docs/acs.md, "Reads"). Rejects as execute does.
   */
  readValues(serial: string, names: string[], options?: RpcOptions): Promise<ReadResult>

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

export class UnknownRpcError extends BenchError {
  constructor(readonly rpcId: string) {
    super('not-found', `RPC ${rpcId} is not among the device's recent RPCs (only the last 50 per device are kept)`)
  }
}

export class RpcCancelledError extends BenchError {
  constructor(
    readonly serial: string,
    readonly method: string,
    /** Cancelled while the CPE was handling it: it may still be applied. */
    readonly wasSent = false,
  ) {
    super(
      'unavailable',
      wasSent
        ? `${method} to ${serial} was cancelled while the CPE was handling it; it may still be applied (its answer, if it comes, is stored)`
        : `${method} to ${serial} was cancelled before it was sent`,
    )
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
  /** The request's arguments in a few words (names, values, URL). */
  args?: string
  /**
   * For a Download or Upload the CPE accepted to carry out after the session (status 1): what its
   * TransferComplete said. A transfer that failed makes the RPC failed, whatever its first answer.
   */
  transfer?: { state: 'pending' | 'done' | 'failed'; fault?: { code: number; message: string } }
}

/**
 * Something else the CWMP listener serves on its port (the file library's GET /files/…, PUT
 * /upload/…): CPEs reach it at the address they already reach the ACS at, over the same HTTP or
 * HTTPS. Asked first, for every request; a route that matches answers it entirely.
 */
export interface HttpRoute {
  matches(req: IncomingMessage): boolean
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    peer: { remoteAddress: string; localAddress: string },
  ): Promise<void>
}
