import { requestFacts } from '../cwmp/methods'
import type { SessionEndReason } from '../events'
import type { BenchConfig } from '../config'
import type { Emit } from '../events'
import type { Journal } from '../journal'
import type { RpcQueue } from './rpc-queue'
import type { Session, SessionRegistry } from './sessions'
import { describeRequest } from './summaries'
import { RpcTimeoutError } from './types'

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
}

export function endSession(d: SessionEndDeps, session: Session, reason: SessionEndReason): void {
  if (!session.open) return
  d.sessions.end(session, reason)
  const out = session.outstanding
  session.outstanding = undefined
  const unanswered = out && !out.settled && !requestFacts(out.request).idempotent ? out : undefined
  if (out && !out.settled) {
    if (requestFacts(out.request).idempotent) d.queue.requeue(out)
    else if (reason === 'timeout')
      d.queue.fail(out, new RpcTimeoutError(session.serial, out.info.method, d.config.cwmp.sessionTimeoutMs))
    else
      d.queue.fail(
        out,
        new Error(
          `the session ended (${reason}) before the CPE answered ${out.info.method}; whether it was applied is unknown`,
        ),
      )
  }
  const durationMs = Date.now() - session.startedAt
  try {
    d.journal.transaction((record) => {
      if (unanswered)
        record({
          kind: 'rpc',
          severity: 'warn',
          serial: session.serial,
          summary: `${unanswered.info.method} sent${describeRequest(unanswered.request)} but not answered: the session ended (${reason})`,
          detail: { rpcId: unanswered.info.id, method: unanswered.info.method, source: unanswered.info.source },
          soapOut: unanswered.soapOut ?? null,
        })
      record({
        kind: 'session',
        severity: reason === 'completed' ? 'info' : 'warn',
        serial: session.serial,
        summary: `Session ${reason}: ${session.events.join(', ') || 'no events'}, ${session.rpcs} RPC${session.rpcs === 1 ? '' : 's'}, ${durationMs} ms`,
        detail: {
          sessionId: session.id,
          reason,
          events: session.events,
          rpcs: session.rpcs,
          durationMs,
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
