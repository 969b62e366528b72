import { rpcName } from '../cwmp/methods'
import type { AcsRequest, CpeResponse } from '../cwmp/types'
import { CwmpFaultError } from '../cwmp/faults'
import type { Emit } from '../events'
import { ulid } from '../ids'
import { describeRequest } from './summaries'
import { RpcCancelledError, RpcTimeoutError, type RpcInfo, type RpcOptions } from './types'

/** One RPC on its way to a CPE. The session that sends it holds it as its outstanding request. */
export interface RpcEntry {
  readonly info: RpcInfo
  readonly request: AcsRequest
  readonly timeoutMs: number
  readonly onUnreachable: 'fail' | 'wait'
  /** Keep the session open this long after the answer, for the caller's next RPC (ms). */
  readonly holdSessionMs: number
  /** Set once resolved or rejected; a late answer is still applied to the store, never resolved. */
  settled: boolean
  /** The envelope as sent, for the event log. */
  soapOut?: string
}

interface Internal extends RpcEntry {
  resolve(value: CpeResponse): void
  reject(error: Error): void
  timer?: NodeJS.Timeout
  detach?: () => void
}

/** How many finished RPCs per device the UI can still see. */
const RECENT = 50

/**
 * Per-device FIFO of ACS-initiated RPCs, with each RPC's promise, timeout and cancellation, and
 * the recent history the UI shows. It never talks to the network: sessions take entries from it.
 */
export class RpcQueue {
  private readonly queued = new Map<string, Internal[]>()
  private readonly live = new Map<string, Internal>()
  private readonly recent = new Map<string, RpcInfo[]>()
  /** The requests of the recent RPCs, by id, so a failed one can be retried. */
  private readonly requests = new Map<string, AcsRequest>()

  constructor(
    /** Deferred until the answering session's transaction commits. */
    private readonly emit: Emit,
    private readonly onTimeout: (entry: RpcEntry) => void,
    private readonly onCancel: (entry: RpcEntry) => void,
  ) {}

  enqueue(serial: string, request: AcsRequest, options: RpcOptions, defaultTimeoutMs: number): Promise<CpeResponse> {
    const method = rpcName(request)
    if (options.signal?.aborted) return Promise.reject(new RpcCancelledError(serial, method))
    return new Promise<CpeResponse>((resolve, reject) => {
      const entry: Internal = {
        info: {
          id: ulid(),
          serial,
          method,
          source: options.source ?? 'api',
          state: 'queued',
          queuedAt: Date.now(),
          args: describeRequest(request).trim(),
        },
        request,
        timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
        onUnreachable: options.onUnreachable ?? 'fail',
        holdSessionMs: Math.max(0, options.holdSessionMs ?? 0),
        settled: false,
        resolve,
        reject,
      }
      entry.timer = setTimeout(() => {
        if (entry.settled) return
        this.fail(entry, new RpcTimeoutError(serial, method, entry.timeoutMs), 'timeout')
        this.onTimeout(entry)
      }, entry.timeoutMs)
      entry.timer.unref?.()
      if (options.signal) {
        const signal = options.signal
        // The caller stopped (a script or profile run was stopped): a queued request is dropped, a
        // sent one is no longer waited for (the CPE's answer, if it comes, is still stored).
        const onAbort = () => {
          if (this.cancel(entry.info.id)) this.onCancel(entry)
          else this.cancelSent(entry.info.id)
        }
        signal.addEventListener('abort', onAbort, { once: true })
        entry.detach = () => signal.removeEventListener('abort', onAbort)
      }
      this.live.set(entry.info.id, entry)
      const list = this.queued.get(serial)
      if (list) list.push(entry)
      else this.queued.set(serial, [entry])
      this.emit('rpc.queued', { serial, rpcId: entry.info.id, method })
    })
  }

  hasQueued(serial: string): boolean {
    return (this.queued.get(serial)?.length ?? 0) > 0
  }

  /** The device's RPCs waiting to be sent, in the order they will go. */
  queuedFor(serial: string): readonly RpcEntry[] {
    return [...(this.queued.get(serial) ?? [])]
  }

  /** Takes the next RPC to send to this device, marking it sent. */
  next(serial: string): RpcEntry | undefined {
    const list = this.queued.get(serial)
    const entry = list?.shift()
    if (list && list.length === 0) this.queued.delete(serial)
    if (!entry) return undefined
    entry.info.state = 'sent'
    entry.info.sentAt = Date.now()
    // Once on the wire it cannot be taken back, but its caller may stop waiting (the abort signal).
    this.emit('rpc.sent', { serial, rpcId: entry.info.id, method: entry.info.method })
    return entry
  }

  /** Puts a sent RPC back at the head of its device's queue (the session died before the answer). */
  requeue(entry: RpcEntry): void {
    const e = entry as Internal
    if (e.settled) return
    e.info.state = 'queued'
    e.info.sentAt = undefined
    const list = this.queued.get(e.info.serial)
    if (list) list.unshift(e)
    else this.queued.set(e.info.serial, [e])
  }

  complete(entry: RpcEntry, response: CpeResponse): void {
    const e = entry as Internal
    if (!this.settle(e, 'done')) return
    e.resolve(response)
  }

  fail(entry: RpcEntry, error: Error, state?: RpcInfo['state']): void {
    const e = entry as Internal
    if (e.settled) return
    const resolved: RpcInfo['state'] =
      state ??
      (error instanceof CwmpFaultError
        ? 'fault'
        : error instanceof RpcTimeoutError
          ? 'timeout'
          : error instanceof RpcCancelledError
            ? 'cancelled'
            : 'error')
    if (error instanceof CwmpFaultError) e.info.fault = { code: error.code, message: error.fault.faultString }
    else e.info.error = error.message
    this.settle(e, resolved)
    // Take it out of the queue if it was still waiting there.
    const list = this.queued.get(e.info.serial)
    const at = list?.indexOf(e) ?? -1
    if (list && at >= 0) {
      list.splice(at, 1)
      if (list.length === 0) this.queued.delete(e.info.serial)
    }
    e.reject(error)
  }

  /** Cancels an RPC that has not been sent yet; false if it was sent or is unknown. */
  cancel(rpcId: string): boolean {
    const entry = this.live.get(rpcId)
    if (!entry || entry.info.state !== 'queued') return false
    this.fail(entry, new RpcCancelledError(entry.info.serial, entry.info.method))
    return true
  }

  /**
   * Stops waiting for an RPC the CPE is handling: its caller gets the error now; the CPE's answer,
   * if it comes, is still stored (a sent request cannot be taken back). False if not in flight.
   */
  cancelSent(rpcId: string): boolean {
    const entry = this.live.get(rpcId)
    if (!entry || entry.info.state !== 'sent') return false
    this.fail(entry, new RpcCancelledError(entry.info.serial, entry.info.method, true))
    return true
  }

  /** The request of a recent or open RPC (for retry). */
  requestOf(rpcId: string): { serial: string; request: AcsRequest } | undefined {
    const open = this.live.get(rpcId)
    if (open) return { serial: open.info.serial, request: open.request }
    const request = this.requests.get(rpcId)
    if (!request) return undefined
    for (const [serial, list] of this.recent) if (list.some((i) => i.id === rpcId)) return { serial, request }
    return undefined
  }

  /** Records what a finished Download/Upload's TransferComplete said. */
  noteTransfer(serial: string, rpcId: string, transfer: NonNullable<RpcInfo['transfer']>): void {
    const info = this.recent.get(serial)?.find((i) => i.id === rpcId)
    if (info) info.transfer = transfer
  }

  /** Fails the device's queued (unsent) RPCs that match. */
  failQueued(serial: string, match: (entry: RpcEntry) => boolean, error: (entry: RpcEntry) => Error): RpcEntry[] {
    const failed = (this.queued.get(serial) ?? []).filter(match)
    for (const entry of failed) this.fail(entry, error(entry))
    return failed
  }

  /** Queued and in-flight RPCs first (oldest first), then the recent finished ones (newest first). */
  infos(serial: string): RpcInfo[] {
    const open = [...this.live.values()].filter((e) => e.info.serial === serial).map((e) => ({ ...e.info }))
    open.sort((a, b) => a.queuedAt - b.queuedAt)
    return [...open, ...(this.recent.get(serial) ?? []).map((i) => ({ ...i }))]
  }

  /** Rejects everything still open (the ACS is closing). */
  failAll(error: (entry: RpcEntry) => Error): void {
    for (const entry of [...this.live.values()]) this.fail(entry, error(entry), 'error')
  }

  private settle(e: Internal, state: RpcInfo['state']): boolean {
    if (e.settled) return false
    e.settled = true
    clearTimeout(e.timer)
    e.detach?.()
    this.live.delete(e.info.id)
    e.info.state = state
    e.info.finishedAt = Date.now()
    const history = this.recent.get(e.info.serial) ?? []
    history.unshift({ ...e.info })
    this.requests.set(e.info.id, e.request)
    for (const dropped of history.splice(RECENT)) this.requests.delete(dropped.id)
    this.recent.set(e.info.serial, history)
    this.emit('rpc.completed', {
      serial: e.info.serial,
      rpcId: e.info.id,
      method: e.info.method,
      ok: state === 'done',
      fault: e.info.fault,
      error: e.info.error,
      durationMs: e.info.finishedAt - e.info.queuedAt,
    })
    return true
  }
}
