import type { DecodedEnvelope } from '../cwmp/decode'
import { CwmpFaultError, faultMeaning } from '../cwmp/faults'
import type { AcsRequest, CpeResponse, RawResponse, TypedAcsRequest, TypedCpeResponse } from '../cwmp/types'
import type { Emit } from '../events'
import type { Journal } from '../journal'
import type { Store } from '../store'
import type { TransferTracker } from './cpe-requests'
import { applyResult, type ParameterChange } from './results'
import type { RpcEntry, RpcQueue } from './rpc-queue'
import type { Session } from './sessions'
import { describeResponse } from './summaries'
import { errorMessage } from '../errors'

export type CpeResponseOrFault = CpeResponse | Extract<DecodedEnvelope['body'], { method: 'Fault' }>

/** The body's method that answers this request ("RawResponse" for one written by hand). */
export function expectedAnswer(request: AcsRequest): string {
  return request.method === 'Raw' ? 'RawResponse' : `${request.method}Response`
}

/**
 * The message as the answer to a request written by hand, when it is "<name>Response": known to
 * the codec or not (a vendor's), it is accepted and handed back as received. Anything else (a
 * fault, another method) is judged as for any request.
 */
export function rawAnswer(request: AcsRequest, decoded: DecodedEnvelope, envelope: string): RawResponse | undefined {
  if (request.method !== 'Raw') return undefined
  const name = decoded.kind === 'unknown' ? decoded.body.name : decoded.body?.method
  if (name !== `${request.name}Response`) return undefined
  const typed = decoded.kind === 'cpe-response' && decoded.body.method !== 'RawResponse' ? decoded.body : undefined
  return { method: 'RawResponse', name, xml: envelope, ...(typed ? { typed } : {}) }
}

/** What the store learns from: a raw request and its answer count as the codec reads them. */
function typedPair(
  request: AcsRequest,
  response: CpeResponse,
): { request: TypedAcsRequest; response: TypedCpeResponse } | undefined {
  if (request.method !== 'Raw') return response.method === 'RawResponse' ? undefined : { request, response }
  if (request.typed && response.method === 'RawResponse' && response.typed)
    return { request: request.typed, response: response.typed }
  return undefined
}

/**
 * The CPE answered an RPC: store what the answer proves and log it (one savepoint), and only then
 * resolve or reject the caller's promise. A late answer (the caller timed out) is stored and
 * logged all the same.
 */
export function settleAnswer(
  d: {
    store: Store
    journal: Journal
    emit: Emit
    queue: RpcQueue
    transfers: TransferTracker
    observe?: (serial: string, request: RpcEntry['request'], body: CpeResponseOrFault) => void
  },
  serial: string,
  entry: RpcEntry,
  body: CpeResponseOrFault,
  soapIn: string,
  /** The session it came in: its rows are tied to it, and a routine session's one row lists it. */
  session?: Session,
): void {
  const method = entry.info.method
  const elapsed = Date.now() - (entry.info.sentAt ?? entry.info.queuedAt)
  const late = entry.settled ? ' (late: the caller had stopped waiting)' : ''
  let change: ParameterChange | undefined
  try {
    change = d.journal.transaction((record) => {
      if (body.method === 'Fault') {
        const spv = body.setParameterValuesFaults ?? []
        const row = record({
          kind: 'fault',
          severity: 'warn',
          serial,
          session: session?.id ?? null,
          summary: `${method} faulted: ${body.faultCode} ${faultMeaning(body.faultCode)}${body.faultString ? ` — ${body.faultString}` : ''}${spv.length ? ` (${spv.map((f) => `${f.parameterName}: ${f.faultCode}`).join(', ')})` : ''}${late}`,
          detail: { rpcId: entry.info.id, method, source: entry.info.source, fault: body, durationMs: elapsed },
          soapIn,
          soapOut: entry.soapOut ?? null,
        })
        // A fault keeps a row of its own; the routine session's row points at it.
        session?.group?.linked('cpe', 'Fault', row.seq)
        return undefined
      }
      const pair = typedPair(entry.request, body)
      const result = pair ? applyResult(d.store, serial, pair.request, pair.response) : undefined
      const summary = `${method} answered${pair ? describeResponse(pair.response) : ''} in ${elapsed} ms${late}`
      if (session?.group)
        session.group.rpc(d.store, d.journal, {
          method,
          answer: body.method,
          summary,
          soapOut: entry.soapOut ?? null,
          soapIn,
        })
      else
        record({
          kind: 'rpc',
          serial,
          session: session?.id ?? null,
          summary,
          detail: { rpcId: entry.info.id, method, source: entry.info.source, durationMs: elapsed },
          soapIn,
          soapOut: entry.soapOut ?? null,
        })
      return result
    })
  } catch (error) {
    d.journal.recordQuietly({
      kind: 'system',
      severity: 'error',
      serial,
      summary: `the answer to ${method} could not be stored: ${errorMessage(error)}`,
    })
    if (!entry.settled)
      d.queue.fail(entry, new Error(`${method} was answered but the result could not be stored: ${String(error)}`))
    return
  }
  try {
    d.observe?.(serial, entry.request, body)
  } catch {
    // What the answer teaches about the CPE is a bonus; the answer itself was stored.
  }
  if (change && (change.names.length || change.removedPrefixes.length))
    d.emit('parameters.updated', { serial, names: change.names, removedPrefixes: change.removedPrefixes })
  if (change?.device) d.emit('device.updated', { device: change.device })
  const pair = body.method === 'Fault' ? undefined : typedPair(entry.request, body)
  const answered = pair?.response
  if ((answered?.method === 'DownloadResponse' || answered?.method === 'UploadResponse') && answered.status === 1) {
    const req = pair!.request
    // The RPC is done once the CPE's TransferComplete says so (Acs listens for transfer.completed).
    if (!entry.settled) entry.info.transfer = { state: 'pending' }
    if (req.method === 'Download' || req.method === 'Upload')
      d.transfers.track(serial, {
        commandKey: req.commandKey,
        method: req.method,
        rpcId: entry.info.id,
        at: Date.now(),
      })
  }
  if (entry.settled) return
  if (body.method === 'Fault') d.queue.fail(entry, new CwmpFaultError(body))
  else d.queue.complete(entry, body)
}
