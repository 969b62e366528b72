import {
  CwmpFaultError,
  decodeEnvelope,
  encodeEnvelope,
  faultMeaning,
  type TypedAcsRequest,
  type UnknownBody,
  type CpeRequest,
  type CwmpBody,
  type CwmpVersion,
  type DecodedEnvelope,
} from '../cwmp'
import type { AcsConnection } from './acs-client'
import { CPE_METHODS } from './rpc'

export class SessionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SessionError'
  }
}

/** What a session needs from its CPE. */
export interface SessionPeer {
  version: CwmpVersion
  connection: AcsConnection
  inform: Extract<CpeRequest, { method: 'Inform' }>
  /** The next CPE request (TransferComplete) to send, or undefined. Each is offered at most once a session. */
  nextRequest(): CpeRequest | undefined
  /** Whether nextRequest() has anything left to offer in this session. */
  hasSendable(): boolean
  /** The ACS acknowledged a request from nextRequest(). */
  delivered(request: CpeRequest): void
  /** The ACS answered a request from nextRequest() with a fault; it stays queued for a later session. */
  refused(request: CpeRequest, fault: { faultCode: number; faultString: string }): void
  /** Answers one ACS request (throws CwmpFaultError to answer with a fault). */
  answer(request: TypedAcsRequest): CwmpBody
  /** Answers an RPC the codec does not model, or undefined when the CPE has no such method. */
  other?(request: UnknownBody): CwmpBody | undefined
  /** Every envelope the ACS sent, as received (before it is read). */
  received?(xml: string): void
  /** Waited for before each answer to an ACS request goes out (an injected slow CPE). */
  pause?(): Promise<void>
}

const MAX_EXCHANGES = 10_000
const ACS_REQUESTS = new Set<string>(CPE_METHODS)

/**
 * One CWMP session from the CPE side (TR-069 3.7): Inform; then the CPE's own requests unless the
 * ACS holds them (HoldRequests); an empty POST; then the ACS's requests, each answered in the next
 * POST with its cwmp:ID echoed, until the ACS answers with an empty reply. MaxEnvelopes is 1.
 * Resolves with the number of HTTP exchanges; throws SessionError or AcsHttpError.
 */
export async function runSession(peer: SessionPeer): Promise<number> {
  let version = peer.version
  let nextId = 1
  let exchanges = 0
  const exchange = async (body: CwmpBody | null, id?: string): Promise<DecodedEnvelope | null> => {
    if (++exchanges > MAX_EXCHANGES)
      throw new SessionError(`the ACS kept the session going past ${MAX_EXCHANGES} messages`)
    const xml = body === null ? null : encodeEnvelope(version, id === undefined ? {} : { id }, body)
    const reply = await peer.connection.post(xml)
    if (reply === null) return null
    peer.received?.(reply.toString('utf8'))
    try {
      return decodeEnvelope(reply)
    } catch (error) {
      throw new SessionError(`the ACS sent a message the CPE cannot read: ${(error as Error).message}`)
    }
  }

  const informReply = await exchange(peer.inform, String(nextId++))
  if (!informReply) throw new SessionError('the ACS ended the session without an InformResponse')
  if (informReply.body?.method === 'Fault')
    throw new SessionError(
      `the ACS refused the Inform with fault ${informReply.body.faultCode} (${informReply.body.faultString || faultMeaning(informReply.body.faultCode)})`,
    )
  if (informReply.body?.method !== 'InformResponse')
    throw new SessionError(`the ACS answered the Inform with ${informReply.body?.method ?? 'an empty envelope'}`)
  // Version negotiation: the CPE follows the ACS down to an older namespace, never up.
  if (informReply.version < version) version = informReply.version
  let held = informReply.header.holdRequests === true

  let owed: CwmpBody | null = null
  let owedId: string | undefined
  for (;;) {
    if (owed === null) {
      // The CPE's turn: its own requests, unless the ACS holds them.
      let request: CpeRequest | undefined
      while (!held && (request = peer.nextRequest())) {
        const id = String(nextId++)
        const reply = await exchange(request, id)
        if (!reply) throw new SessionError(`the ACS ended the session without answering ${request.method}`)
        held = reply.header.holdRequests === true
        if (reply.body?.method === `${request.method}Response`) peer.delivered(request)
        else if (reply.body?.method === 'Fault') peer.refused(request, reply.body)
        else
          throw new SessionError(`the ACS answered ${request.method} with ${reply.body?.method ?? 'an empty envelope'}`)
      }
    }
    const sentEmpty = owed === null
    const reply = await exchange(owed, owedId)
    if (!reply || reply.body === null) {
      // An empty reply: the ACS has nothing more. What it held stays for the next session (TR-069
      // 3.7.1.4); only requests that were never held may still go in this one.
      if (sentEmpty || held || !peer.hasSendable()) return exchanges
      owed = null
      owedId = undefined
      continue
    }
    // A fault is no request to answer: the ACS could not take what the CPE sent.
    if (reply.body.method === 'Fault')
      throw new SessionError(
        `the ACS answered ${owed === null ? 'an empty POST' : owed.method} with fault ${reply.body.faultCode} (${reply.body.faultString || faultMeaning(reply.body.faultCode)})`,
      )
    held = reply.header.holdRequests === true
    owedId = reply.header.id
    owed = respond(reply.body, peer.answer, peer.other)
    await peer.pause?.()
  }
}

/**
 * The CPE's answer to one message from the ACS: the RPC's response, the CWMP fault it raised, or
 * 9000 for anything that is not an RPC a CPE implements (unknown methods, misdirected responses).
 */
export function respond(
  body: NonNullable<DecodedEnvelope['body']>,
  answer: SessionPeer['answer'],
  other?: SessionPeer['other'],
): CwmpBody {
  const answered = body.method === 'Unknown' ? other?.(body) : undefined
  if (answered) return answered
  if (body.method === 'Unknown' || !ACS_REQUESTS.has(body.method)) {
    const name = body.method === 'Unknown' ? body.name : body.method
    return { method: 'Fault', faultCode: 9000, faultString: `Method not supported: ${name}` }
  }
  try {
    return answer(body as TypedAcsRequest)
  } catch (error) {
    if (!(error instanceof CwmpFaultError)) throw error
    return { method: 'Fault', ...error.fault }
  }
}
