import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import type { CwmpVersion } from '../cwmp/namespaces'
import type { SessionEndReason } from '../events'
import type { RpcEntry } from './rpc-queue'
import type { SessionGroup } from './session-log'

export const SESSION_COOKIE = 'benchacs_session'

/** After a session ends, its cookie still finds it this long (a CPE may post held requests after the 204). */
const LINGER_MS = 5_000

export class Session {
  readonly id = randomBytes(16).toString('hex')
  readonly startedAt = Date.now()
  lastSeen = this.startedAt
  state: 'open' | 'ended' = 'open'
  endReason?: SessionEndReason
  /** The ACS request the CPE has not answered yet (MaxEnvelopes 1: at most one). */
  outstanding?: RpcEntry
  /** Our last envelope carried HoldRequests=1 (TR-069 3.7.1.4): the CPE must not send requests now. */
  holdRequestsSent = false
  /** CWMP event codes of the Inform. */
  events: string[] = []
  /** ACS RPCs answered or faulted in this session. */
  rpcs = 0
  /** How long to keep the session open for more work once the queue is empty (from an RPC's holdSessionMs). */
  keepOpenMs = 0
  timer?: NodeJS.Timeout
  /** A routine session's one event row (session-log.ts). */
  group?: SessionGroup

  constructor(
    readonly serial: string,
    readonly version: CwmpVersion,
    readonly remoteAddress: string,
    /** True when the CPE proved its credentials (or none are required). */
    readonly authenticated: boolean,
  ) {}

  get open(): boolean {
    return this.state === 'open'
  }
}

export interface SessionInfo {
  id: string
  serial: string
  cwmpVersion: CwmpVersion
  remoteAddress: string
  startedAt: number
  lastSeen: number
  events: string[]
  rpcs: number
  outstanding?: string
}

/**
 * Finds the session a POST belongs to: by our cookie first, then by the TCP connection it came
 * on (for CPEs that drop cookies). Holds at most one open session per serial number.
 */
export class SessionRegistry {
  private readonly byCookie = new Map<string, Session>()
  private readonly bySocket = new WeakMap<Socket, Session>()
  private readonly bySerial = new Map<string, Session>()

  constructor(
    private readonly timeoutMs: () => number,
    private readonly onTimeout: (session: Session) => void,
  ) {}

  find(cookie: string | undefined, socket: Socket): Session | undefined {
    const byCookie = usable(cookie ? this.byCookie.get(cookie) : undefined)
    const bySocket = usable(this.bySocket.get(socket))
    if (byCookie?.open) return byCookie
    if (bySocket?.open) return bySocket
    return byCookie ?? bySocket
  }

  /**
   * The session of a POST that has neither our cookie nor a known connection: the one session from
   * its address (an open one, else one that just ended). TR-069 has CPEs keep both the connection
   * and our cookie, but some stacks open a new connection per message and drop cookies. The address
   * says little (any host there can send the same), so the listener uses this only for a device the
   * technician allowed it for. Several sessions from one address (a NAT, a fleet) are ambiguous: none.
   */
  findByAddress(remoteAddress: string): Session | undefined {
    let open: Session | undefined
    let ended: Session | undefined
    let opens = 0
    let endeds = 0
    for (const s of this.byCookie.values()) {
      if (s.remoteAddress !== remoteAddress) continue
      if (s.open) {
        open = s
        opens++
      } else {
        ended = s
        endeds++
      }
    }
    if (opens > 0) return opens === 1 ? open : undefined
    return endeds === 1 ? ended : undefined
  }

  openFor(serial: string): Session | undefined {
    return this.bySerial.get(serial)
  }

  open(): Session[] {
    return [...this.bySerial.values()]
  }

  start(session: Session, socket: Socket): void {
    this.byCookie.set(session.id, session)
    this.bySerial.set(session.serial, session)
    this.bind(session, socket)
    session.timer = setTimeout(() => this.onTimeout(session), this.timeoutMs())
    session.timer.unref?.()
  }

  /** A message arrived for the session: remember its connection and restart the idle timer. */
  touch(session: Session, socket: Socket): void {
    session.lastSeen = Date.now()
    this.bind(session, socket)
    if (session.open) session.timer?.refresh()
  }

  /**
   * A CPE posted again after the 204 (held requests): the session is open again. Only a session
   * that ended with our 204 can resume; one that timed out, failed or was closed is over.
   */
  reopen(session: Session): boolean {
    const current = this.bySerial.get(session.serial)
    if (session.open || session.endReason !== 'completed' || (current && current !== session)) return false
    session.state = 'open'
    session.endReason = undefined
    this.bySerial.set(session.serial, session)
    clearTimeout(session.timer)
    session.timer = setTimeout(() => this.onTimeout(session), this.timeoutMs())
    session.timer.unref?.()
    return true
  }

  /** Marks the session ended; its cookie keeps pointing at it for a few seconds. */
  end(session: Session, reason: SessionEndReason): void {
    session.state = 'ended'
    session.endReason = reason
    clearTimeout(session.timer)
    if (this.bySerial.get(session.serial) === session) this.bySerial.delete(session.serial)
    session.timer = setTimeout(() => {
      if (!session.open && this.byCookie.get(session.id) === session) this.byCookie.delete(session.id)
    }, LINGER_MS)
    session.timer.unref?.()
  }

  /** Forgets everything (the ACS is closing). */
  clear(): void {
    for (const s of this.byCookie.values()) clearTimeout(s.timer)
    this.byCookie.clear()
    this.bySerial.clear()
  }

  private bind(session: Session, socket: Socket): void {
    if (this.bySocket.get(socket) === session) return
    this.bySocket.set(socket, session)
  }
}

/**
 * A session replaced by a new Inform from its CPE is gone for good: its cookie and connection
 * lead nowhere (the CPE gave up on it; whoever still uses it is confused or not that CPE).
 */
function usable(session: Session | undefined): Session | undefined {
  return session?.endReason === 'replaced' ? undefined : session
}

export function sessionInfo(s: Session): SessionInfo {
  return {
    id: s.id,
    serial: s.serial,
    cwmpVersion: s.version,
    remoteAddress: s.remoteAddress,
    startedAt: s.startedAt,
    lastSeen: s.lastSeen,
    events: [...s.events],
    rpcs: s.rpcs,
    outstanding: s.outstanding?.info.method,
  }
}

/** Our session cookie from a Cookie header, if present. */
export function sessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim()
  }
  return undefined
}
