import { requestFacts } from '../cwmp/methods'
import type { SessionEndReason } from '../events'
import type { BenchConfig } from '../config'
import type { Emit } from '../events'
import type { Journal } from '../journal'
import type { RpcQueue } from './rpc-queue'
import type { Session, SessionRegistry } from './sessions'
import { describeRequest } from './summaries'
import { RpcTimeoutError } from './types'
import { DEATHS_BEFORE_UNSTABLE, SessionDiedError, type DeathCounter } from './liveness'

/**
 * What ending a session does: the session is closed in the registry; an RPC the CPE had not
 * answered is queued again when it is a read (safe to repeat), else failed, since whether the CPE
 * applied it is unknown; the end is logged (with the unanswered RPC) and announced; and a device
 * that still has work queued after a session that failed is woken again.
 */
export interface SessionEndDeps {
  config: BenchConfig
  journal: Journal
  /** Emits once the current transaction commits. */
  emit: Emit
  queue: RpcQueue
  sessions: SessionRegistry
  /** Sends a connection request if work is queued and the device is not in a session. */
  wake(serial: string): void
  deaths: DeathCounter
}

export const CUT_SHORT_BY_STOP = 'the ACS stopped before the session ended'

/**
 * `why` says what happened in words the technician understands ("the CPE closed the connection
 * while handling GetParameterValues — it may have crashed or rebooted"); it goes into the RPC's
 * error and the session's event.
 */
export function endSession(d: SessionEndDeps, session: Session, reason: SessionEndReason, why?: string): void {
  if (!session.open) return
  // The ACS stopping (bench.close, SIGTERM) cuts the session short: its rows say so, with what it had.
  if (reason === 'closed') why ??= CUT_SHORT_BY_STOP
  d.sessions.end(session, reason)
  const out = session.outstanding
  session.outstanding = undefined
  let unanswered: { entry: NonNullable<typeof out>; outcome: string } | undefined
  if (out && !out.settled) {
    const method = out.info.method
    const what = why ?? `the session ended (${reason}) before the CPE answered ${method}`
    // The ACS closing is not the CPE's doing; anything else is a session that died on this RPC.
    const deaths = reason === 'closed' ? 0 : d.deaths.died(session.serial, out, what)
    if (requestFacts(out.request).idempotent && deaths < DEATHS_BEFORE_UNSTABLE) {
      // A read is safe to repeat: once, in the next session. A CPE that dies on it again fails it.
      d.queue.requeue(out)
      unanswered = { entry: out, outcome: 'sent again in the next session' }
    } else {
      const outcome = requestFacts(out.request).idempotent
        ? `it failed in ${deaths} sessions in a row, so it is not sent again`
        : 'whether it was applied is unknown'
      unanswered = { entry: out, outcome }
      if (reason === 'timeout' && !why)
        d.queue.fail(out, new RpcTimeoutError(session.serial, method, d.config.cwmp.sessionTimeoutMs))
      else d.queue.fail(out, new SessionDiedError(session.serial, method, `${what}; ${outcome}`))
    }
  }
  const durationMs = Date.now() - session.startedAt
  try {
    d.journal.transaction((record) => {
      if (unanswered) {
        const { entry, outcome } = unanswered
        const row = record({
          kind: 'rpc',
          severity: 'warn',
          serial: session.serial,
          session: session.id,
          summary: `${entry.info.method} sent${describeRequest(entry.request)} but not answered: ${why ?? `the session ended (${reason})`}; ${outcome}`,
          detail: { rpcId: entry.info.id, method: entry.info.method, source: entry.info.source, why: why ?? null },
          soapOut: entry.soapOut ?? null,
        })
        session.group?.linked('acs', entry.info.method, row.seq)
      }
      const summary = `Session ${reason}${why ? ` (${why})` : ''}: ${session.events.join(', ') || 'no events'}, ${session.rpcs} RPC${session.rpcs === 1 ? '' : 's'}, ${durationMs} ms`
      const severity = reason === 'completed' ? 'info' : 'warn'
      const facts = {
        reason,
        why: why ?? null,
        rpcs: session.rpcs,
        durationMs,
        ...(reason === 'closed' ? { cutShort: true } : {}),
      }
      // A routine session's one row is completed; any other session ends with a row of its own.
      if (session.group) session.group.end(d.journal, { summary, reason, severity, facts })
      else
        record({
          kind: 'session',
          severity,
          serial: session.serial,
          session: session.id,
          summary,
          detail: {
            sessionId: session.id,
            ...facts,
            events: session.events,
            remoteAddress: session.remoteAddress,
            cwmpVersion: session.version,
          },
        })
    })
  } catch {
    // The session is over whatever the disk says.
  }
  d.emit('session.ended', {
    serial: session.serial,
    sessionId: session.id,
    reason,
    durationMs,
    remoteAddress: session.remoteAddress,
    events: session.events,
    rpcs: session.rpcs,
  })
  if (reason !== 'completed' && reason !== 'replaced' && d.queue.hasQueued(session.serial)) d.wake(session.serial)
}
