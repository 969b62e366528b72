import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { CwmpDecodeError } from '../cwmp/decode'
import { errorMessage } from '../errors'
import type { Journal } from '../journal'
import { discardBody, type BodyError } from './body'
import type { AuthResult } from './cpe-auth'
import type { DevicePolicies } from './device-policy'
import type { Reply, SessionEngine } from './engine'
import { DRAIN_CAP, plainAddress, send, TEXT } from './http-reply'
import type { ProblemLog } from './problems'
import type { Session, SessionRegistry } from './sessions'

export interface RefusalDeps {
  engine: SessionEngine
  sessions: SessionRegistry
  problems: ProblemLog
  journal: Journal
  policies: DevicePolicies
}

/**
 * What the CWMP listener does with a request it will not hand to a session as it is: the answer
 * (401, 403, 400, a SOAP fault, …) and the row in the event log or the problem log that says why.
 */
export class Refusals {
  constructor(private readonly d: RefusalDeps) {}

  /**
   * The one session from this address, for a CPE that keeps neither our cookie nor its connection
   * — but only when the technician allowed that for the device (DevicePolicy.matchByAddress). Any
   * host at the address could otherwise take the RPCs (a Wi-Fi key in a SetParameterValues)
   * queued for that CPE. Without the opt-in, the miss is logged with the hint.
   */
  byAddress(remoteAddress: string, what: string): Session | undefined {
    const session = this.d.sessions.findByAddress(remoteAddress)
    if (!session) return undefined
    if (this.d.policies.get(session.serial).matchByAddress) return session
    this.d.problems.report({
      kind: 'security',
      serial: session.serial,
      remoteAddress,
      summary: `A ${what} from ${remoteAddress} without cookie, on a new connection, was not given to the session of ${session.serial} (same address): if ${session.serial} drops cookies, allow matching it by address on its Trust tab (device page)`,
      status: 400,
    })
    return undefined
  }

  /** Credentials of one device used for another device's Inform or session. */
  wrongDevice(remoteAddress: string, authSerial: string | undefined, serial: string, raw: string): Reply {
    const whose = authSerial === undefined ? 'the bench-wide credentials' : `the credentials of ${authSerial}`
    this.d.problems.report({
      kind: 'security',
      serial,
      remoteAddress,
      summary: `Refused a message for ${serial} from ${remoteAddress} authenticated with ${whose}: ${serial} has to use its own`,
      status: 403,
      body: raw,
    })
    return {
      status: 403,
      headers: TEXT,
      body: `These credentials are not ${serial}'s: set the ACS username and password of this CPE.\n`,
    }
  }

  /** A bug of ours while handling a request: logged with the start of what the CPE sent. */
  internalError(remoteAddress: string, raw: string, error: unknown): void {
    this.d.journal.recordQuietly({
      kind: 'system',
      severity: 'error',
      summary: `Internal error while handling a CWMP request from ${remoteAddress}: ${errorMessage(error)}`,
      soapIn: raw ? raw.slice(0, 4096) : null,
    })
  }

  /** The XML could not be read as CWMP: a SOAP fault when its envelope was understood, else 400. */
  undecodable(error: CwmpDecodeError, raw: string, remoteAddress: string, session?: Session): Reply {
    const ctx = error.context
    if (ctx) {
      this.d.problems.report({
        kind: 'fault',
        serial: session?.serial ?? null,
        remoteAddress,
        summary: `Invalid ${ctx.method ?? 'message'} from ${session?.serial ?? remoteAddress}: ${error.message} — answered fault 8003`,
        faultCode: 8003,
        body: raw,
      })
      return this.d.engine.fault(ctx.version, ctx.header.id, error.faultCode, error.message)
    }
    const hostile =
      error.kind === 'xml' && error.xmlCode !== 'malformed' && error.xmlCode !== 'empty' && error.xmlCode !== 'encoding'
    this.d.problems.report({
      kind: hostile ? 'security' : 'fault',
      serial: session?.serial ?? null,
      remoteAddress,
      summary: `Rejected a message from ${remoteAddress}: ${error.message}`,
      status: 400,
      body: raw,
    })
    return { status: 400, headers: TEXT, body: `Bench ACS cannot read this as a CWMP message: ${error.message}\n` }
  }

  /** 401 with a challenge; a failed attempt (wrong credentials) is logged as a security problem. */
  async challenge(
    req: IncomingMessage,
    res: ServerResponse,
    verdict: Extract<AuthResult, { ok: false }>,
    remoteAddress: string,
    session: Session | undefined,
    bodyUnread: boolean,
  ): Promise<void> {
    if (verdict.attempted)
      this.d.problems.report({
        kind: 'security',
        serial: session?.serial ?? null,
        remoteAddress,
        summary: `CPE authentication failed from ${remoteAddress}${verdict.username !== undefined ? ` (user "${verdict.username}")` : ''}: ${verdict.reason}`,
        status: 401,
      })
    const drained = !bodyUnread || (await discardBody(req, DRAIN_CAP))
    send(res, {
      status: 401,
      headers: { ...TEXT, 'WWW-Authenticate': verdict.challenge, ...(drained ? {} : { Connection: 'close' }) },
      body: 'Authentication required: set the ACS username and password on the CPE.\n',
    })
  }

  /** A body refused (too large, too slow, wrong type, the ACS too busy): logged, answered, drained or cut. */
  async bodyRefused(req: IncomingMessage, res: ServerResponse, error: BodyError, remoteAddress: string): Promise<void> {
    const flood = error.kind === 'too-large' || error.kind === 'busy' || error.kind === 'stalled'
    this.d.problems.report({
      kind: flood ? 'security' : 'fault',
      remoteAddress,
      summary: `Rejected a request from ${remoteAddress}: ${error.message}`,
      status: error.status,
      detail: {
        contentType: req.headers['content-type'] ?? null,
        contentEncoding: req.headers['content-encoding'] ?? null,
        contentLength: req.headers['content-length'] ?? null,
      },
    })
    // A stalled body will not end, and draining one refused for load would be the load itself:
    // answer and close the connection.
    const huge = Number(req.headers['content-length'] ?? 0) > DRAIN_CAP
    const cut = huge || error.status === 408 || error.status === 503 || error.kind === 'aborted'
    const drained = !cut && (await discardBody(req, DRAIN_CAP))
    send(res, {
      status: error.status,
      headers: {
        ...TEXT,
        ...(drained ? {} : { Connection: 'close' }),
        ...(error.status === 503 ? { 'Retry-After': '5' } : {}),
      },
      body: `${error.message}\n`,
    })
  }

  /** HTTP that Node could not parse: logged (unless the peer just hung up), answered 400, closed. */
  onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
      this.d.problems.report({
        kind: 'security',
        remoteAddress: plainAddress(socket.remoteAddress),
        summary: `Malformed HTTP from ${plainAddress(socket.remoteAddress)}: ${error.code ?? error.message}`,
        status: 400,
      })
    }
    if (socket.writable && !socket.destroyed)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    else socket.destroy()
  }
}
