// The event log: its pages and filters, SOAP bodies, CWMP sessions, who sent an RPC.
import type { EventKind, LoggedEvent, SessionMessage, Severity } from '../../main/core/store/types'
import type { ExportResult } from './devices'

export { EVENT_KINDS } from '../../common/event-kinds'
export type { EventKind, LoggedEvent, SessionMessage, Severity }

export interface EventFilter {
  /** Case-insensitive substring of the device serial. */
  serial?: string
  kinds?: EventKind[]
  /** Minimum severity. */
  severity?: Severity
  /** Case-insensitive substring of the summary. */
  text?: string
}

/** Who sent an RPC, as the Events page shows it. */
export interface EventSource {
  /** 'script "Wi-Fi setup"', 'deleted script (was "X")', or the source as stored ("ui"). */
  label: string
  /** The script to link to, when it still exists. */
  scriptId?: string
  runId?: string
  deleted?: boolean
}

export interface EventPageQuery extends EventFilter {
  /** Events older than this seq (paging back from the newest). */
  beforeSeq?: number
  /** At most 1000 per page. */
  limit?: number
}

export interface EventPage {
  /** Newest first. */
  rows: LoggedEvent[]
  /** Events matching the filter, in all. */
  total: number
}

export interface SoapBodies {
  soapIn: string | null
  soapOut: string | null
}

export interface EventCalls {
  page(query: EventPageQuery): Promise<EventPage>
  soap(seq: number): Promise<SoapBodies | null>
  /** Every row of one CWMP session, oldest first (at most 1000). */
  session(sessionId: string): Promise<LoggedEvent[]>
  /** One SOAP body a grouped session row holds (detail.messages[].ref); null when it has no such body. */
  body(seq: number, ref: number): Promise<string | null>
  /** Who sent RPCs ("ui", "script:<run id>"…), in words, resolved now (a renamed script's new name). */
  sources(sources: string[]): Promise<Record<string, EventSource>>
  export(filter: EventFilter, format: 'csv' | 'json'): Promise<ExportResult>
}
