import type { Socket } from 'node:net'
import type { AcsRequest } from '../cwmp/types'
import { BenchError } from '../errors'
import type { CapabilityStore, UnstableMark } from './capabilities'
import type { RpcEntry } from './rpc-queue'
import type { Session } from './sessions'
import { describeRequest } from './summaries'

/** Sessions of a device that may die on the same request before it is marked unstable. */
export const DEATHS_BEFORE_UNSTABLE = 2

/** Identifies a request by method and arguments: "the same thing" a crashing CPE is not asked again. */
export function requestKey(request: AcsRequest): string {
  return JSON.stringify(request)
}

/** A request refused because the device's sessions died on it before (see UnstableMark). */
export class UnstableRequestError extends BenchError {
  constructor(
    readonly serial: string,
    readonly mark: UnstableMark,
  ) {
    super(
      'unavailable',
      `${serial} is marked unstable: its sessions died ${DEATHS_BEFORE_UNSTABLE} times while handling ${mark.method}${mark.args} (${mark.reason}); it is not sent again until you retry it (device page, RPCs tab, Retry)`,
    )
  }
}

/** An RPC whose session died before the CPE answered it. */
export class SessionDiedError extends BenchError {
  constructor(
    readonly serial: string,
    readonly method: string,
    message: string,
  ) {
    super('unavailable', message)
  }
}

interface Seen {
  /** The connection of the session's last message. */
  last: Socket
  /** Every message of the session so far came on that one connection. */
  oneConnection: boolean
  messages: number
  /** Every message after the Inform carried our cookie. */
  cookies: boolean
}

/**
 * Watches the TCP connections of sessions. A CPE that keeps its connection for the session (TR-069
 * 3.4.1 asks it to) and closes it while one of our RPCs is outstanding has given up or died: the
 * session ends at once with that reason, instead of "replaced" at its next Inform or a timeout
 * 30 s later. A CPE that opens a new connection per message closes them as a matter of course:
 * for it the close says nothing and the session timeout stays the rule.
 */
export class ConnectionWatch {
  private readonly seen = new WeakMap<Session, Seen>()
  /**
   * The session each connection last carried. One 'close' listener per connection, not per
   * session: a keep-alive connection may carry many sessions one after another.
   */
  private readonly watched = new WeakMap<Socket, Session>()

  constructor(private readonly onDrop: (session: Session, entry: RpcEntry) => void) {}

  /** A message of the session arrived on this connection. */
  message(session: Session, socket: Socket, hadCookie: boolean): Seen {
    const s = this.seen.get(session)
    const next: Seen = s
      ? {
          last: socket,
          oneConnection: s.oneConnection && s.last === socket,
          messages: s.messages + 1,
          cookies: s.cookies && hadCookie,
        }
      : { last: socket, oneConnection: true, messages: 1, cookies: true }
    this.seen.set(session, next)
    const watching = this.watched.has(socket)
    this.watched.set(socket, session)
    if (!watching)
      socket.once('close', () => {
        const last = this.watched.get(socket)
        if (last) this.closed(last, socket)
      })
    return next
  }

  private closed(session: Session, socket: Socket): void {
    const s = this.seen.get(session)
    const entry = session.outstanding
    if (!session.open || !entry || entry.settled || !s || !s.oneConnection || s.last !== socket) return
    this.onDrop(session, entry)
  }
}

/**
 * Counts, per device, the sessions that died on each request, and marks the device unstable once
 * one request killed DEATHS_BEFORE_UNSTABLE of them in a row (an answer to it resets the count).
 */
export class DeathCounter {
  private readonly deaths = new Map<string, Map<string, number>>()

  constructor(private readonly capabilities: CapabilityStore) {}

  /** A session died while `entry` was outstanding; returns how many have died on it in a row. */
  died(serial: string, entry: RpcEntry, reason: string): number {
    const key = requestKey(entry.request)
    const byKey = this.deaths.get(serial) ?? new Map<string, number>()
    const n = (byKey.get(key) ?? 0) + 1
    byKey.set(key, n)
    this.deaths.set(serial, byKey)
    if (n >= DEATHS_BEFORE_UNSTABLE)
      this.capabilities.markUnstable(serial, {
        method: entry.info.method,
        args: describeRequest(entry.request),
        key,
        reason,
        since: Date.now(),
      })
    return n
  }

  /** The CPE answered this request: it is not what kills its sessions. */
  answered(serial: string, request: AcsRequest): void {
    this.deaths.get(serial)?.delete(requestKey(request))
  }

  /** The technician retries the request: count from zero again. */
  reset(serial: string): void {
    this.deaths.delete(serial)
  }
}
