import type { SessionEndReason } from '../events'
import type { Journal } from '../journal'
import type { Store } from '../store'
import type { EventPatch } from '../store/event-log'
import type { LoggedEvent, SessionMessage } from '../store/types'

/**
 * CWMP event codes of a routine session: a CPE checking in on its timer. A session with only these
 * (and no fault, no security problem) is one event-log row whose detail lists every message of
 * the session; any other code (BOOT, BOOTSTRAP, VALUE CHANGE, TRANSFER COMPLETE…) keeps the
 * inform, cwmp-event and session rows of its own, tied together by the session id.
 */
export const ROUTINE_EVENT_CODES: readonly string[] = ['2 PERIODIC']

export function isRoutine(codes: readonly string[]): boolean {
  return codes.length > 0 && codes.every((c) => ROUTINE_EVENT_CODES.includes(c))
}

/**
 * The one row of a routine session, as it goes on: written with the Inform (durable before the
 * InformResponse), changed in the transaction that stores each RPC answer (with that answer's
 * SOAP), and completed, then synced, when the session ends.
 */
export class SessionGroup {
  readonly messages: SessionMessage[]

  constructor(
    /** Its event row. */
    readonly seq: number,
    /** What the Inform said (the row's detail without its messages). */
    private readonly facts: Record<string, unknown>,
    messages: SessionMessage[],
  ) {
    this.messages = [...messages]
  }

  /** The row's detail as it is now: `open` until the session ends. */
  detail(extra?: Record<string, unknown>): Record<string, unknown> {
    return { ...this.facts, ...(extra ?? { open: true }), messages: this.messages }
  }

  /** A message with no body (an empty POST, the 204 that ends the session): kept until the end. */
  note(from: SessionMessage['from'], method: string, ts = Date.now()): void {
    this.messages.push({ ts, from, method })
  }

  /**
   * An RPC and its answer: their bodies are stored, held by the row, and listed in its detail.
   * Call inside the transaction that stores the answer.
   */
  rpc(
    store: Store,
    journal: Journal,
    rpc: { method: string; answer: string; summary: string; soapOut: string | null; soapIn: string },
  ): void {
    const ts = Date.now()
    if (rpc.soapOut)
      this.messages.push({ ts, from: 'acs', method: rpc.method, ref: store.events.holdBody(this.seq, rpc.soapOut) })
    this.messages.push({
      ts,
      from: 'cpe',
      method: rpc.answer,
      summary: rpc.summary,
      ref: store.events.holdBody(this.seq, rpc.soapIn),
    })
    journal.update(this.seq, { detail: this.detail() })
  }

  /** A message that has a row of its own (a fault, a problem): listed here, pointing at that row. */
  linked(from: SessionMessage['from'], method: string, eventSeq: number): void {
    this.messages.push({ ts: Date.now(), from, method, eventSeq })
  }

  /** The session ended: the row says how, and goes to the outbox complete. */
  end(
    journal: Journal,
    end: { summary: string; reason: SessionEndReason; severity: 'info' | 'warn'; facts: Record<string, unknown> },
  ): void {
    const facts = Object.fromEntries(Object.entries(end.facts).filter(([, v]) => v !== null))
    journal.update(this.seq, { summary: end.summary, severity: end.severity, detail: this.detail(facts) }, true)
  }
}

export const CUT_SHORT_BY_CRASH = 'the ACS stopped without ending it (a crash or a power loss)'

/**
 * A routine session's row that was still open when the ACS started (recoverUnsynced): the ACS
 * that wrote it stopped without ending it. It keeps what it had, is said to be cut short, and
 * goes to the outbox.
 */
export function cutShortByCrash(row: LoggedEvent): EventPatch {
  const { open: _open, ...detail } = (row.detail ?? {}) as Record<string, unknown>
  const messages = Array.isArray(detail.messages) ? (detail.messages as SessionMessage[]) : []
  const codes = Array.isArray(detail.events) ? (detail.events as { code: string }[]).map((e) => e.code) : []
  // An answer with its body or a row of its own (a fault) is one RPC done; the Inform is not one.
  const rpcs = messages.filter(
    (m) => m.from === 'cpe' && m.method !== 'Inform' && (m.ref !== undefined || m.eventSeq !== undefined),
  ).length
  const durationMs = messages.length > 0 ? Math.max(0, messages[messages.length - 1]!.ts - messages[0]!.ts) : 0
  return {
    summary: `Session closed (${CUT_SHORT_BY_CRASH}): ${codes.join(', ') || 'no events'}, ${rpcs} RPC${rpcs === 1 ? '' : 's'}, ${durationMs} ms or more`,
    severity: 'warn',
    detail: { ...detail, reason: 'closed', why: CUT_SHORT_BY_CRASH, rpcs, durationMs, cutShort: true },
  }
}
