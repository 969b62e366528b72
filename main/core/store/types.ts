import type { EventKind } from '../../../common/event-kinds'
import type { StoredBody } from './bodies'

/**
 * Device status as Oktopus stores it: 0 offline, 1 associating, 2 online. A CWMP device is online
 * from its Inform until it is overdue (Oktopus marks CWMP devices online the same way); whether it
 * is in a session right now is live ACS state (Acs.inSession), not stored. 1 is never written.
 */
export const DeviceStatus = { Offline: 0, Associating: 1, Online: 2 } as const
export type DeviceStatus = (typeof DeviceStatus)[keyof typeof DeviceStatus]

export interface DeviceRecord {
  serial: string
  oui: string
  productClass: string
  manufacturer: string
  model: string
  softwareVersion: string
  hardwareVersion: string
  alias: string
  ip: string
  /** cwmp-1-0 … cwmp-1-4: the namespace the CPE used in its last session. */
  cwmpVersion: string
  /** Root object of its data model: "InternetGatewayDevice" (TR-098) or "Device" (TR-181). */
  dataModel: string
  connectionRequestUrl: string
  connectionRequestUsername: string
  connectionRequestPassword: string
  periodicInformInterval: number | null
  firstSeen: number
  lastInform: number | null
  lastBoot: number | null
  status: DeviceStatus
}

export interface ParameterRecord {
  name: string
  value: string | null
  /** xsd type as the CPE reported it, e.g. "xsd:string", "xsd:unsignedInt"; null when unknown. */
  type: string | null
  writable: boolean | null
  /** True for object paths (names ending in "."). */
  object: boolean
  updatedAt: number
}

export { EVENT_KINDS, type EventKind } from '../../../common/event-kinds'

export type Severity = 'debug' | 'info' | 'warn' | 'error'

export interface NewEvent {
  kind: EventKind
  severity?: Severity
  serial?: string | null
  summary: string
  detail?: unknown
  /**
   * SOAP body received from the CPE, if this event has one; a StoredBody (store.bodies.put) when
   * another row (the inform outbox row) shares the same copy.
   */
  soapIn?: string | StoredBody | null
  /** SOAP body sent to the CPE, if this event has one. */
  soapOut?: string | null
  ts?: number
  /** The CWMP session this row belongs to (Session.id); the UI groups a session's rows by it. */
  session?: string | null
  /**
   * Not in the outbox yet: a grouped session row is synced once, complete, when the session ends
   * (EventLogStore.update with sync: true).
   */
  deferSync?: boolean
}

/** One message of a routine session, listed in its grouped row's detail (`messages`). */
export interface SessionMessage {
  ts: number
  /** "cpe": the CPE sent it; "acs": the ACS did. */
  from: 'cpe' | 'acs'
  /** CWMP method, e.g. "Inform", "InformResponse", "GetParameterValues", "(empty)". */
  method: string
  summary?: string
  /** Its SOAP body: EventLogStore.messageBody(seq, ref). */
  ref?: number
  /** Its SOAP body is the row's own soapIn ("in") or soapOut ("out"). */
  soap?: 'in' | 'out'
  /** The event row it has of its own (a fault, a security problem). */
  eventSeq?: number
}

export interface LoggedEvent {
  /** Monotonic row number: the order events were written. */
  seq: number
  /** ULID, unique across laptops. */
  id: string
  ts: number
  kind: EventKind
  severity: Severity
  serial: string | null
  summary: string
  detail: unknown
  hasSoap: boolean
  /** The CWMP session the row belongs to, if any. */
  session: string | null
}

export interface EventQuery {
  /** Return events with seq below this (paging backwards from newest). */
  beforeSeq?: number
  /** Return events with seq above this (tailing). */
  afterSeq?: number
  limit?: number
  /** Case-insensitive substring of the device serial. */
  serial?: string
  /** Rows of one CWMP session. */
  session?: string
  kinds?: EventKind[]
  /** Minimum severity. */
  severity?: Severity
  /** Case-insensitive substring of the summary. */
  text?: string
}

export interface OutboxRow {
  seq: number
  id: string
  site: string
  topic: OutboxTopic
  key: string | null
  payload: unknown
  createdAt: number
}

/**
 * What the outbox carries. "inform" is the raw Inform XML (the shape Oktopus' adapter expects);
 * the others are our own records.
 */
export type OutboxTopic = 'device' | 'inform' | 'event' | 'parameters' | 'run' | 'provisioning'

/**
 * Rows a feature lets retention (main/core/retention) delete: oldest first, by age. Each call is
 * one short transaction, so sessions writing meanwhile wait for at most one batch.
 */
export interface PruneSource {
  readonly name: string
  /** Time (ms) of the oldest row that may be deleted at all; null when there is none. */
  oldest(): number | null
  /** Deletes up to `limit` of the oldest deletable rows older than `before` (ms); returns how many. */
  prune(before: number, limit: number): number
}
