import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { CwmpDecodeError, type DecodedEnvelope } from '../cwmp/decode'
import type { CwmpConfig } from '../config'
import type { Journal } from '../journal'
import { BodyBudget, type BodyTicket } from './admission'
import { MessageBatcher } from './batch'
import { EnvelopeParser } from './parse'
import { BodyError, charsetOf, checkContentType, discardBody, readBody } from './body'
import type { CpeAuthenticator } from './cpe-auth'
import type { DevicePolicies } from './device-policy'
import type { SessionEngine } from './engine'
import { DRAIN_CAP, plainAddress, send, TEXT } from './http-reply'
import { ListenError, listenError } from './listen-error'
import type { ProblemLog } from './problems'
import { Refusals } from './refusals'
import { sessionCookie, type SessionRegistry } from './sessions'
import type { HttpRoute } from './types'

export interface ListenerDeps {
  cwmp: () => CwmpConfig
  engine: SessionEngine
  sessions: SessionRegistry
  auth: CpeAuthenticator
  problems: ProblemLog
  journal: Journal
  policies: DevicePolicies
  /** Other things served on this port (see HttpRoute). */
  routes: () => readonly HttpRoute[]
}

/** The HTTP(S) side of the ACS: turns each POST into a decoded, authenticated message for the engine. */
export class CwmpListener {
  private server: Server | undefined
  private readonly batcher: MessageBatcher
  /** The request being handled on each connection (see inOrder). */
  private readonly lanes = new WeakMap<Socket, Promise<void>>()
  private readonly budget: BodyBudget
  private readonly parser: EnvelopeParser
  private readonly refusals: Refusals

  constructor(private readonly d: ListenerDeps) {
    this.refusals = new Refusals(d)
    this.budget = new BodyBudget(() => d.cwmp())
    this.parser = new EnvelopeParser((why) => {
      d.journal.recordQuietly({
        kind: 'system',
        severity: 'warn',
        summary: `${why}; large messages are decoded inline`,
      })
    })
    this.batcher = new MessageBatcher(
      d.journal,
      (msg) => d.engine.handle(msg),
      (msg, error) => {
        this.refusals.internalError(msg.remoteAddress, msg.raw, error)
        return { status: 500, headers: TEXT, body: 'Internal error in Bench ACS; see its event log.\n' }
      },
    )
  }

  async listen(): Promise<AddressInfo & { tls: boolean }> {
    const { port, bind, tls, sessionTimeoutMs } = this.d.cwmp()
    let server: Server
    if (tls) {
      let cert: Buffer, key: Buffer
      try {
        cert = readFileSync(tls.certFile)
        key = readFileSync(tls.keyFile)
      } catch (error) {
        throw new ListenError('TLS', port, bind, `cannot read the TLS certificate or key: ${(error as Error).message}`)
      }
      server = createHttpsServer({ cert, key }, (req, res) => this.inOrder(req, res))
    } else {
      server = createHttpServer((req, res) => this.inOrder(req, res))
    }
    // Keep a CPE's connection for as long as its session may idle; cut slow senders.
    server.keepAliveTimeout = Math.max(5_000, sessionTimeoutMs)
    server.headersTimeout = server.keepAliveTimeout + 1_000
    server.requestTimeout = 120_000
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
      this.refusals.onClientError(error, socket),
    )
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, bind))
      server.once('error', onError)
      server.listen(port, bind, () => {
        server.off('error', onError)
        resolve()
      })
    })
    server.on('error', (error) =>
      this.d.journal.record({ kind: 'system', severity: 'error', summary: `CWMP listener error: ${error.message}` }),
    )
    this.server = server
    return { ...(server.address() as AddressInfo), tls: Boolean(tls) }
  }

  /** Requests received and not yet answered, and when the last one was (lastActive). */
  private handling = 0
  private lastDone = -Infinity

  /** Request bodies being received or handled: how many from outside a session, and their bytes. */
  load(): { pendingBodies: number; bufferedBytes: number } {
    return this.budget.load()
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    await this.parser.close()
    if (!server) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  /**
   * Node hands us the requests a client pipelined on one connection all at once; a CPE that
   * pipelines means them one after the other (its empty POST follows its Inform). Each waits for
   * the one before it on the same connection, so it is handled in the session that one left.
   */
  private inOrder(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket
    const previous = this.lanes.get(socket)
    this.handling++
    const current = previous ? previous.then(() => this.onRequest(req, res)) : this.onRequest(req, res)
    this.lanes.set(socket, current)
    void current.finally(() => {
      if (this.lanes.get(socket) === current) this.lanes.delete(socket)
      this.handling--
      this.lastDone = performance.now()
    })
  }

  /** When a request was last being handled (performance.now(); now while one is). */
  lastActive(): number {
    return this.handling > 0 ? performance.now() : this.lastDone
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket
    const remoteAddress = plainAddress(socket.remoteAddress)
    let raw = ''
    let ticket: BodyTicket | undefined
    try {
      const route = this.d.routes().find((r) => r.matches(req))
      if (route) return await route.handle(req, res, { remoteAddress, localAddress: plainAddress(socket.localAddress) })
      if (req.method !== 'POST') {
        const drained = await discardBody(req, DRAIN_CAP)
        return send(res, {
          status: 405,
          headers: { ...TEXT, Allow: 'POST', ...(drained ? {} : { Connection: 'close' }) },
          body: 'This is the CWMP (TR-069) endpoint of Bench ACS: set it as the ACS URL of a CPE, which POSTs here.\n',
        })
      }
      const cfg = this.d.cwmp()
      const cookie = sessionCookie(req.headers.cookie)
      let candidate = this.d.sessions.find(cookie, socket)
      const mode = this.d.auth.mode
      // Requests inside an authenticated session need no new credentials; an Inform always does.
      const trusted = mode === 'none' || Boolean(candidate?.authenticated)
      let authenticated = false
      /** Set when the credentials are one device's own: they vouch for that serial only. */
      let authSerial: string | undefined
      if (!trusted) {
        const verdict = this.d.auth.check(req.headers.authorization, 'POST')
        if (!verdict.ok) return await this.refusals.challenge(req, res, verdict, remoteAddress, candidate, true)
        authenticated = true
        authSerial = verdict.serial
      }
      // libcurl-based CPEs label their empty POST as a form; only a body has to be XML. A declared
      // body is refused before it is read, a chunked one (which may turn out empty) once it came.
      const declared = req.headers['content-length']
      if (declared !== undefined && declared !== '0') checkContentType(req.headers['content-type'])
      ticket = this.budget.admit(remoteAddress, Boolean(candidate?.open))
      if (!ticket)
        throw new BodyError(503, 'busy', 'the ACS is receiving as many messages as it takes at once; retry shortly')
      const body = await readBody(req, { maxBytes: cfg.maxBodyBytes, idleMs: cfg.bodyIdleTimeoutMs, ticket })
      if (declared === undefined && body.length > 0) checkContentType(req.headers['content-type'])
      const charset = charsetOf(req.headers['content-type'])
      raw = body.toString(charset)
      let decoded: DecodedEnvelope | null = null
      if (raw.trim() !== '') {
        try {
          // UTF-8 goes in as bytes, to be decoded strictly: lenient decoding turns invalid bytes
          // into U+FFFD and two different serials into one.
          decoded = await this.parser.parse(charset === 'utf8' ? body : raw, cfg.maxBodyBytes)
        } catch (error) {
          if (error instanceof CwmpDecodeError)
            return send(res, this.refusals.undecodable(error, raw, remoteAddress, candidate))
          throw error
        }
      }
      // No cookie and a new connection: a CPE that keeps neither. Its address may still say which
      // session this is (credentials, when required, were checked above: nothing vouched for it).
      if (!candidate && !cookie && decoded?.body?.method !== 'Inform')
        candidate = this.refusals.byAddress(remoteAddress, decoded?.body?.method ?? 'empty POST')
      const inform = decoded?.body?.method === 'Inform' ? decoded.body : undefined
      if (inform && mode !== 'none' && !authenticated) {
        const verdict = this.d.auth.check(req.headers.authorization, 'POST')
        if (!verdict.ok) return await this.refusals.challenge(req, res, verdict, remoteAddress, candidate, false)
        authenticated = true
        authSerial = verdict.serial
      }
      // Whose session this is: the Inform's serial, or the session it was matched to.
      const serial = inform ? inform.deviceId.serialNumber : candidate?.serial
      if (authenticated && serial !== undefined && !this.d.auth.vouches(authSerial, serial))
        return send(res, this.refusals.wrongDevice(remoteAddress, authSerial, serial, raw))
      // What the CPE does with our cookie and which auth it uses (acs/capabilities.ts).
      const hadCookie = cookie !== undefined
      const authScheme = req.headers.authorization?.split(' ')[0]?.toLowerCase() || 'none'
      let reply = await this.batcher.submit({
        decoded,
        raw,
        session: candidate,
        socket,
        remoteAddress,
        authenticated,
        hadCookie,
        authScheme,
      })
      // A session kept open: wait for the caller's next RPC, then ask the engine again as if the CPE had
      // sent another empty POST (it is waiting for this answer, which is the same thing).
      while (reply.keepOpen) {
        const { session, ms } = reply.keepOpen
        const hungUp = new AbortController()
        const onClose = () => hungUp.abort()
        res.once('close', onClose)
        await this.d.engine.waitForWork(session.serial, ms, hungUp.signal)
        res.off('close', onClose)
        if (res.destroyed || hungUp.signal.aborted) {
          // Closing the listener cuts every connection; the ACS then ends its sessions as "closed".
          if (this.server) this.d.engine.abandoned(session)
          return
        }
        reply = await this.batcher.submit({
          decoded: null,
          raw: '',
          session,
          socket,
          remoteAddress,
          authenticated,
          hadCookie,
        })
      }
      send(res, reply)
    } catch (error) {
      if (error instanceof BodyError) return await this.refusals.bodyRefused(req, res, error, remoteAddress)
      this.refusals.internalError(remoteAddress, raw, error)
      if (!res.headersSent)
        send(res, { status: 500, headers: TEXT, body: 'Internal error in Bench ACS; see its event log.\n' })
      else res.destroy()
    } finally {
      ticket?.release()
    }
  }
}
