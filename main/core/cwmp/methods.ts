import type { CwmpFault } from './faults'
import type {
  AcsRequest,
  AcsResponse,
  CpeMethod,
  CpeRequest,
  CpeResponse,
  CwmpBody,
  TypedAcsRequest,
  UnknownBody,
} from './types'

type TypedMethod = TypedAcsRequest['method']

/** What the ACS needs to know about each RPC it sends (TR-069 Annex A, Table 5). */
export interface AcsMethodFacts {
  /** A read: safe to send again when the session died before the CPE answered. */
  idempotent: boolean
  /**
   * The CPE carries it out once the session has ended (TR-069 A.3.2.3, A.3.2.8…): keeping the
   * session open for more work would only delay it.
   */
  afterSession: boolean
}

/** The one table of facts about the RPCs an ACS sends; the queue and the session engine read it. */
export const ACS_METHODS: Readonly<Record<TypedMethod, AcsMethodFacts>> = {
  GetRPCMethods: { idempotent: true, afterSession: false },
  GetParameterNames: { idempotent: true, afterSession: false },
  GetParameterValues: { idempotent: true, afterSession: false },
  SetParameterValues: { idempotent: false, afterSession: false },
  GetParameterAttributes: { idempotent: true, afterSession: false },
  SetParameterAttributes: { idempotent: false, afterSession: false },
  AddObject: { idempotent: false, afterSession: false },
  DeleteObject: { idempotent: false, afterSession: false },
  Reboot: { idempotent: false, afterSession: true },
  FactoryReset: { idempotent: false, afterSession: true },
  Download: { idempotent: false, afterSession: true },
  Upload: { idempotent: false, afterSession: true },
  ScheduleInform: { idempotent: false, afterSession: false },
}

/**
 * The requests a CPE sends that this ACS answers; GetRPCMethods lists them (TR-069 A.4.1: an ACS
 * must support Inform, TransferComplete, AutonomousTransferComplete and GetRPCMethods).
 */
export const CPE_METHODS: Readonly<Record<CpeMethod, true>> = {
  Inform: true,
  TransferComplete: true,
  AutonomousTransferComplete: true,
  GetRPCMethods: true,
  RequestDownload: true,
  DUStateChangeComplete: true,
  AutonomousDUStateChangeComplete: true,
}

export function isAcsMethod(method: string): method is TypedMethod {
  return Object.hasOwn(ACS_METHODS, method)
}

/**
 * The facts for one request. An RPC written by hand counts as what the codec reads it as; one the
 * codec does not know (a vendor's X_…, ChangeDUState…) is never sent twice and lets the session
 * go on: nothing says it is safe to repeat, or that the CPE acts on it only after the session.
 */
export function requestFacts(request: AcsRequest): AcsMethodFacts {
  if (request.method !== 'Raw') return ACS_METHODS[request.method]
  return request.typed ? ACS_METHODS[request.typed.method] : { idempotent: false, afterSession: false }
}

/** The element name of a request as it goes on the wire (a raw request's own name). */
export function rpcName(request: AcsRequest): string {
  return request.method === 'Raw' ? request.name : request.method
}

/** The request a response answers: "GetParameterValuesResponse" → "GetParameterValues". */
export function requestOf(response: string): string | undefined {
  return response.endsWith('Response') ? response.slice(0, -'Response'.length) : undefined
}

/** A message the ACS received, classified as GenieACS's codec does, so the engine needs no lists. */
export type CpeMessage =
  | { kind: 'empty'; body: null }
  | { kind: 'inform'; body: Extract<CpeRequest, { method: 'Inform' }> }
  | { kind: 'cpe-request'; body: Exclude<CpeRequest, { method: 'Inform' }> }
  | { kind: 'cpe-response'; body: CpeResponse }
  | { kind: 'fault'; body: { method: 'Fault' } & CwmpFault }
  /** Something only an ACS sends (an ACS request, or an answer to a CPE request). */
  | { kind: 'acs-only'; body: AcsRequest | AcsResponse }
  | { kind: 'unknown'; body: UnknownBody }

export type MessageKind = CpeMessage['kind']

/** Classifies a decoded body as the ACS sees it (a message from a CPE). */
export function classify(body: CwmpBody | UnknownBody | null): CpeMessage {
  if (body === null) return { kind: 'empty', body }
  const m = body.method
  if (m === 'Unknown') return { kind: 'unknown', body }
  if (m === 'Fault') return { kind: 'fault', body }
  if (m === 'Inform') return { kind: 'inform', body }
  if (Object.hasOwn(CPE_METHODS, m))
    return { kind: 'cpe-request', body: body as Exclude<CpeRequest, { method: 'Inform' }> }
  const request = requestOf(m)
  if (request !== undefined && isAcsMethod(request)) return { kind: 'cpe-response', body: body as CpeResponse }
  return { kind: 'acs-only', body: body as AcsRequest | AcsResponse }
}
