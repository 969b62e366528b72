import type { Socket } from 'node:net'
import type { DecodedEnvelope } from '../cwmp/decode'
import { encodeEnvelope } from '../cwmp/encode'
import type { CwmpVersion } from '../cwmp/namespaces'
import type { AcsResponse } from '../cwmp/types'
import type { SessionEndReason } from '../events'
import type { Store } from '../store'
import { answerCpeRequest, type TransferTracker } from './cpe-requests'
import type { DevicePolicies } from './device-policy'
import { storeInform, type Inform } from './inform'
import type { ProblemLog } from './problems'
import { expectedAnswer, rawAnswer, settleAnswer, type CpeResponseOrFault } from './answers'
import { requestFacts } from '../cwmp/methods'
import { Session, SESSION_COOKIE } from './sessions'
import { endSession, type SessionEndDeps } from './session-end'
import { plainHost } from './addresses'
import type { CapabilityStore } from './capabilities'
import { ConnectionWatch } from './liveness'
import type { AcsRequest } from '../cwmp/types'
import { errorMessage } from '../errors'

export interface Reply {
  status: number
  headers?: Record<string, string>
  body?: string
  /**
   * Not an answer yet: the queue is empty but a caller asked to keep the session (holdSessionMs).
   * The listener waits up to `ms` for work (SessionEngine.waitForWork), then asks again with an
   * empty message for the same session.
   */
  keepOpen?: { session: Session; ms: number }
}

/** One POST from a CPE, decoded and authenticated. */
export interface Incoming {
  /** null for an empty POST. */
  decoded: DecodedEnvelope | null
  raw: string
  /** The session this POST belongs to (by cookie or connection), if any. */
  session?: Session
  socket: Socket
  remoteAddress: string
  /** The CPE proved its credentials on this request. */
  authenticated: boolean
  /** The request carried our session cookie. */
  hadCookie?: boolean
  /** Scheme of its Authorization header ("basic", "digest"), "none" without one. */
  authScheme?: string
}

export interface EngineDeps extends SessionEndDeps {
  store: Store
  transfers: TransferTracker
  problems: ProblemLog
  policies: DevicePolicies
  capabilities: CapabilityStore
  /** Starts discovery of a device in the session that just opened (discovery.ts). */
  discover(serial: string, root: string): void
  /** The clock Informs are stamped with (AcsOptions.now). */
  now(): number
  /** Every answer to an RPC, to learn what the CPE can do (reads.ts observeAnswer). */
  observe(serial: string, request: AcsRequest, body: CpeResponseOrFault): void
}

const XML = { 'Content-Type': 'text/xml; charset="utf-8"' }

/**
 * Longest a session kept open for more work keeps a CPE's POST waiting, whatever the settings: CPEs give up on an
 * HTTP answer after about 30 s (TR-069 asks them to wait at least that long, no more).
 */
const MAX_KEEP_OPEN_MS = 20_000

/**
 * The CWMP session state machine (TR-069 A.3): Inform opens a session, the CPE's own requests
 * are answered, an empty POST (or a response) lets the ACS send its next queued RPC, and an empty
 * 204 answer ends the session once the queue is empty.
 */
export class SessionEngine {
  /** Sessions kept open waiting for more work, by serial: resolving wakes the waiting answer. */
  private readonly waitingForWork = new Map<string, () => void>()
  /** Sessions whose keep-open is over before the listener started waiting (see noMoreWork). */
  private readonly noMoreWorkFor = new Set<string>()
  private readonly connections: ConnectionWatch
  private closing = false

  constructor(private readonly d: EngineDeps) {
    this.connections = new ConnectionWatch((session, entry) => {
      if (this.closing) return
      this.end(
        session,
        'error',
        `the CPE closed the connection while handling ${entry.info.method} — it may have crashed or rebooted`,
      )
    })
  }

  /** Work was queued for a device: a session waiting for work sends it now. */
  workArrived(serial: string): void {
    this.waitingForWork.get(serial)?.()
  }

  /**
   * The work a session was kept open for is over (a discovery's last step was answered): a wait
   * for more ends now, or, when the listener has not started waiting yet, does not start.
   */
  noMoreWork(serial: string): void {
    const waiting = this.waitingForWork.get(serial)
    if (waiting) waiting()
    else if (this.d.sessions.openFor(serial)?.open) this.noMoreWorkFor.add(serial)
  }

  /** Ends every wait for work at once (the ACS is closing). */
  releaseAll(): void {
    this.closing = true
    for (const release of [...this.waitingForWork.values()]) release()
  }

  /**
   * Resolves when work is queued for the device, after `ms`, or when `signal` aborts (the CPE hung
   * up), whichever comes first.
   */
  waitForWork(serial: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.noMoreWorkFor.delete(serial) || this.d.queue.hasQueued(serial) || signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        if (this.waitingForWork.get(serial) === done) this.waitingForWork.delete(serial)
        resolve()
      }
      const timer = setTimeout(done, ms)
      timer.unref?.()
      signal?.addEventListener('abort', done, { once: true })
      this.waitingForWork.set(serial, done)
    })
  }

  /**
   * The CPE closed its connection while the ACS kept its POST waiting for work. A CPE that gets no answer counts the
   * session as failed (TR-069 3.4.2) and starts over with a new Inform, so the session ends now
   * rather than at its timeout; work queued meanwhile wakes the device again.
   */
  abandoned(session: Session): void {
    this.end(session, 'error')
  }

  handle(msg: Incoming): Reply {
    const { decoded } = msg
    if (!decoded || decoded.kind === 'empty') return this.onEmpty(msg)
    if (decoded.kind === 'inform') return this.onInform(msg, decoded, decoded.body)
    const name = decoded.kind === 'unknown' ? decoded.body.name : decoded.body.method
    const session = msg.session
    if (!session) return this.outsideSession(msg, name)
    this.d.sessions.touch(session, msg.socket)
    this.noteConnection(session, msg)
    // The answer to a request written by hand may be a method the codec does not know.
    const raw = session.outstanding && rawAnswer(session.outstanding.request, decoded, msg.raw)
    if (raw) return this.onResponse(msg, decoded, session, raw)
    switch (decoded.kind) {
      case 'unknown':
        return this.unsupported(msg, decoded, session, name, 'is not a CWMP method this ACS knows')
      case 'acs-only':
        return this.unsupported(msg, decoded, session, name, 'is sent by an ACS, never by a CPE')
      case 'cpe-request': {
        if (!session.open && !this.d.sessions.reopen(session)) return this.outsideSession(msg, name)
        if (session.holdRequestsSent)
          this.problem(msg, session.serial, `${session.serial} sent ${name} although the ACS had set HoldRequests`)
        session.holdRequestsSent = false
        const response = answerCpeRequest(this.d, session.serial, decoded.body, msg.raw)
        return this.envelope(decoded.version, decoded.header.id, response)
      }
      case 'cpe-response':
      case 'fault':
        return this.onResponse(msg, decoded, session, decoded.body)
    }
  }

  /** Ends a session; an unanswered RPC is sent again later when that is safe, else it fails (session-end.ts). */
  end(session: Session, reason: SessionEndReason, why?: string): void {
    this.noMoreWorkFor.delete(session.serial)
    endSession(this.d, session, reason, why)
  }

  /**
   * Watches the session's connection (a close while an RPC is outstanding ends it, liveness.ts)
   * and, at its second message, records whether the CPE keeps our cookie and its connection.
   */
  private noteConnection(session: Session, msg: Incoming): void {
    const seen = this.connections.message(session, msg.socket, msg.hadCookie ?? false)
    if (seen.messages !== 2) return
    try {
      this.d.capabilities.setTransport(session.serial, {
        cookies: seen.cookies ? 'kept' : 'dropped',
        connection: seen.oneConnection ? 'kept' : 'per-message',
      })
    } catch (error) {
      this.systemError(session.serial, `what ${session.serial} keeps could not be stored`, error)
    }
  }

  private onInform(msg: Incoming, decoded: DecodedEnvelope, inform: Inform): Reply {
    const serial = inform.deviceId.serialNumber
    const { version, header } = decoded
    // Lengths (SerialNumber string(64)…) were checked when the message was decoded (cwmp/limits.ts).
    // A CPE starts a new session only when it has given up on the old one (reboot, its own timeout).
    const previous = this.d.sessions.openFor(serial)
    if (previous)
      this.end(
        previous,
        'replaced',
        previous.outstanding
          ? `the CPE started a new session while handling ${previous.outstanding.info.method} — it may have crashed or rebooted`
          : undefined,
      )
    if (msg.session?.open) this.end(msg.session, 'replaced')
    if (header.id === undefined)
      this.problem(msg, serial, `Inform from ${serial} has no cwmp:ID header; answered without one`, 'info')
    const responseXml = encodeEnvelope(version, header.id === undefined ? {} : { id: header.id }, {
      method: 'InformResponse',
      maxEnvelopes: 1,
    })
    let outcome
    const now = this.d.now()
    const session = new Session(serial, version, msg.remoteAddress, msg.authenticated)
    try {
      outcome = storeInform(this.d.store, this.d.journal, {
        serial,
        inform,
        version,
        remoteAddress: msg.remoteAddress,
        rawXml: msg.raw,
        responseXml,
        now,
        session: session.id,
      })
      // For offline detection of a device whose inform interval is unknown (status.ts).
      const previous = outcome.previousInform
      if (previous) this.d.capabilities.noteInformGap(serial, (now - previous) / 1000)
      // Where its sessions come from: the only host its connection requests may go to (see Acs.wake).
      this.d.policies.noteSessionAddress(serial, msg.remoteAddress, plainHost(msg.socket.localAddress ?? ''))
      this.d.capabilities.setTransport(serial, { auth: msg.authScheme ?? 'none' })
    } catch (error) {
      this.systemError(serial, `the Inform from ${serial} could not be stored`, error)
      return this.fault(version, header.id, 8005, 'The ACS could not store this Inform; retry the session later')
    }
    session.events = inform.event.map((e) => e.eventCode)
    session.group = outcome.group
    this.d.sessions.start(session, msg.socket)
    this.connections.message(session, msg.socket, false)
    if (this.d.config.cwmp.discoverOnBootstrap && (outcome.created || session.events.includes('0 BOOTSTRAP')))
      this.d.discover(serial, outcome.device.dataModel)
    const { emit } = this.d
    emit('session.started', { serial, sessionId: session.id, remoteAddress: msg.remoteAddress })
    emit('device.updated', { device: outcome.device })
    emit('parameters.updated', { serial, names: outcome.names, removedPrefixes: outcome.removedPrefixes })
    emit('device.informed', {
      device: outcome.device,
      events: inform.event.map((e) => ({ code: e.eventCode, commandKey: e.commandKey })),
      parameters: inform.parameterList.map((p) => ({ name: p.name, value: p.value })),
    })
    return {
      status: 200,
      headers: { ...XML, 'Set-Cookie': `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly` },
      body: responseXml,
    }
  }

  private onEmpty(msg: Incoming): Reply {
    const session = msg.session
    if (!session) return this.outsideSession(msg, 'An empty message')
    this.d.sessions.touch(session, msg.socket)
    this.noteConnection(session, msg)
    if (!session.open) return { status: 204 }
    session.group?.note('cpe', '(empty)')
    const out = session.outstanding
    if (out) {
      session.outstanding = undefined
      const why = `${session.serial} sent an empty message instead of answering ${out.info.method}`
      this.problem(msg, session.serial, why)
      if (!out.settled) this.d.queue.fail(out, new Error(why))
    }
    return this.nextOrEnd(session)
  }

  private onResponse(msg: Incoming, decoded: DecodedEnvelope, session: Session, body: CpeResponseOrFault): Reply {
    if (!session.open) {
      this.problem(msg, session.serial, `${session.serial} sent ${body.method} after its session ended`)
      return { status: 204 }
    }
    const out = session.outstanding
    if (!out) {
      this.problem(msg, session.serial, `${session.serial} sent ${body.method} but no RPC was outstanding`)
      return this.nextOrEnd(session)
    }
    session.outstanding = undefined
    session.rpcs++
    if (body.method !== 'Fault' && body.method !== expectedAnswer(out.request)) {
      const why = `${session.serial} answered ${out.info.method} with ${body.method}`
      this.problem(msg, session.serial, why)
      if (!out.settled) this.d.queue.fail(out, new Error(why))
      return this.nextOrEnd(session)
    }
    if (decoded.header.id !== undefined && decoded.header.id !== out.info.id)
      this.problem(
        msg,
        session.serial,
        `${session.serial} answered ${out.info.method} with cwmp:ID "${decoded.header.id}" instead of "${out.info.id}"; accepted`,
        'info',
      )
    settleAnswer(this.d, session.serial, out, body, msg.raw, session)
    // A CPE reboots, resets or transfers once the session is over: keeping it open would only
    // delay that. Anything else may be followed by the caller's next RPC.
    if (requestFacts(out.request).afterSession) session.keepOpenMs = 0
    else if (out.holdSessionMs > 0) session.keepOpenMs = Math.max(session.keepOpenMs, out.holdSessionMs)
    return this.nextOrEnd(session)
  }

  private nextOrEnd(session: Session): Reply {
    const entry = this.d.queue.next(session.serial)
    if (!entry && session.keepOpenMs > 0) {
      // Hold at most half the session timeout (so our own timer never fires first) and never past
      // the time a CPE waits for an HTTP answer.
      const ms = Math.min(session.keepOpenMs, this.d.config.cwmp.sessionTimeoutMs / 2, MAX_KEEP_OPEN_MS)
      session.keepOpenMs = 0
      return { status: 0, keepOpen: { session, ms } }
    }
    if (!entry) {
      session.holdRequestsSent = false
      session.group?.note('acs', '(204 No Content)')
      this.end(session, 'completed')
      return { status: 204 }
    }
    // HoldRequests on every ACS request: the CPE answers before sending requests of its own, and
    // keeps anything it held for its next session (TR-069 3.7.1.4) instead of posting after our 204.
    let xml: string
    try {
      xml = encodeEnvelope(session.version, { id: entry.info.id, holdRequests: true }, entry.request)
    } catch (error) {
      // A request that cannot be written (a caller passed something that is not a CWMP request)
      // fails alone, instead of failing the CPE's session and stalling every RPC queued behind it.
      const what = `${entry.info.method} to ${session.serial} could not be sent`
      this.systemError(session.serial, what, error)
      this.d.queue.fail(entry, new Error(`${what}: ${errorMessage(error)}`))
      return this.nextOrEnd(session)
    }
    entry.soapOut = xml
    session.outstanding = entry
    session.holdRequestsSent = true
    // No event row yet: the row written with the answer (or the timeout, or the end of the session)
    // carries this envelope too, so each RPC costs one row. The UI sees "sent" through rpc.sent.
    return { status: 200, headers: XML, body: xml }
  }

  private outsideSession(msg: Incoming, what: string): Reply {
    const text = `${what} arrived outside a CWMP session: a session starts with an Inform`
    this.d.problems.report({
      kind: 'fault',
      remoteAddress: msg.remoteAddress,
      summary: `${text} (from ${msg.remoteAddress})`,
      status: 400,
      body: msg.raw,
    })
    return { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${text}.\n` }
  }

  private unsupported(msg: Incoming, decoded: DecodedEnvelope, session: Session, name: string, why: string): Reply {
    this.d.problems.report({
      kind: 'fault',
      serial: session.serial,
      remoteAddress: msg.remoteAddress,
      summary: `${session.serial} sent ${name}, which ${why}: answered fault 8000`,
      faultCode: 8000,
      body: msg.raw,
    })
    return this.fault(decoded.version, decoded.header.id, 8000, `Method ${name} ${why}`)
  }

  private envelope(version: CwmpVersion, id: string | undefined, body: AcsResponse): Reply {
    return { status: 200, headers: XML, body: encodeEnvelope(version, id === undefined ? {} : { id }, body) }
  }

  /** SOAP 1.1 (section 6.2) carries faults in an HTTP 500 answer. */
  fault(version: CwmpVersion, id: string | undefined, code: number, message: string): Reply {
    return {
      status: 500,
      headers: XML,
      body: encodeEnvelope(version, id === undefined ? {} : { id }, {
        method: 'Fault',
        faultCode: code,
        faultString: message,
      }),
    }
  }

  private problem(msg: Incoming, serial: string | null, summary: string, severity: 'info' | 'warn' = 'warn'): void {
    this.d.problems.report({
      kind: 'fault',
      severity,
      serial,
      session: msg.session?.id ?? null,
      remoteAddress: msg.remoteAddress,
      summary,
      body: msg.raw,
    })
  }

  private systemError(serial: string | null, what: string, error: unknown): void {
    this.d.journal.recordQuietly({
      kind: 'system',
      severity: 'error',
      serial,
      summary: `${what}: ${errorMessage(error)}`,
    })
  }
}
