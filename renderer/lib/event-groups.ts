import type { LoggedEvent, SessionMessage } from '../../preload/api'

/**
 * Kinds of row a CWMP session's group folds under its header; faults and security problems stay
 * rows of their own (they are what a technician looks for), as does anything outside a session.
 */
const GROUPED_KINDS = new Set<LoggedEvent['kind']>(['session', 'inform', 'cwmp-event', 'rpc'])

/** One line of the Events table. */
export type Entry =
  /** A row; `group` when it heads a session (a routine session's one row, or the newest of several). */
  | { type: 'row'; event: LoggedEvent; group?: { session: string; size: number; expanded: boolean } }
  /** A message listed in a routine session's row (detail.messages). */
  | { type: 'message'; parent: LoggedEvent; message: SessionMessage; index: number }
  /** Another row of a session whose group is open. */
  | { type: 'member'; event: LoggedEvent }

/** The messages a routine session's row lists; none for other rows. */
export function messagesOf(e: LoggedEvent): SessionMessage[] {
  const d = e.detail as { grouped?: unknown; messages?: unknown } | null
  return d && d.grouped === true && Array.isArray(d.messages) ? (d.messages as SessionMessage[]) : []
}

/**
 * The table's lines from the loaded rows (newest first): each session's rows under one header at
 * the place of its newest row; an open group lists its messages (a routine session) or its rows
 * (`members`: every row of the session, read from the store when it was opened; the loaded ones
 * until then).
 */
export function groupRows(
  rows: readonly LoggedEvent[],
  expanded: ReadonlySet<string>,
  members: ReadonlyMap<string, LoggedEvent[]>,
): Entry[] {
  const bySession = new Map<string, LoggedEvent[]>()
  for (const e of rows) {
    if (!e.session || !GROUPED_KINDS.has(e.kind)) continue
    const list = bySession.get(e.session)
    if (list) list.push(e)
    else bySession.set(e.session, [e])
  }
  const out: Entry[] = []
  for (const e of rows) {
    const list = e.session && GROUPED_KINDS.has(e.kind) ? bySession.get(e.session) : undefined
    if (!list || !e.session) {
      out.push({ type: 'row', event: e })
      continue
    }
    if (list[0] !== e) continue
    const messages = messagesOf(e)
    const open = expanded.has(e.session)
    const all = members.get(e.session) ?? [...list].reverse()
    const size = messages.length > 0 && list.length === 1 ? messages.length : Math.max(all.length, list.length)
    if (messages.length === 0 && size <= 1) {
      out.push({ type: 'row', event: e })
      continue
    }
    out.push({ type: 'row', event: e, group: { session: e.session, size, expanded: open } })
    if (!open) continue
    if (messages.length > 0 && list.length === 1)
      messages.forEach((message, index) => out.push({ type: 'message', parent: e, message, index }))
    else for (const m of all) out.push({ type: 'member', event: m })
  }
  return out
}
