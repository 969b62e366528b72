import { CwmpFaultError, type CwmpBody, type TypedAcsRequest, type UnknownBody } from '../cwmp'
import type { SimEventName } from './api'
import { refusalFor, type CpeFaults } from './faults'
import type { DataModel } from './model/data-model'
import { answerOther } from './other-rpcs'
import { answer, type DeferredAction } from './rpc'
import type { Transfers } from './transfers'

/** What answering the ACS's requests needs from the CPE. */
export interface AnsweringHost {
  /** The faults injected now. */
  faults(): CpeFaults
  /** The data model now (a factory reset replaces it). */
  model(): DataModel
  readonly transfers: Pick<Transfers, 'size' | 'cancel'>
  /** The names a SetParameterValues (or other change) wrote, for the settings the CPE acts on. */
  afterChange(changed: string[]): void
  emit(name: SimEventName, detail?: unknown): void
  say(text: string): void
}

/**
 * Answers one ACS request from the data model (rpc.ts), or with the fault injected for its method;
 * what must wait for the session's end (reboots, transfers, …) is added to `actions`.
 */
export function answerRequest(host: AnsweringHost, req: TypedAcsRequest, actions: DeferredAction[]): CwmpBody {
  try {
    const refusal = refusalFor(host.faults(), req.method)
    if (refusal) throw new CwmpFaultError(refusal)
    const outcome = answer(req, { model: host.model(), queuedTransfers: host.transfers.size })
    actions.push(...outcome.actions)
    host.afterChange(outcome.changed)
    host.say(`  ${req.method} → ${outcome.response.method}`)
    host.emit('rpc', req.method)
    return outcome.response
  } catch (error) {
    const f = (error as { fault?: { faultCode: number; faultString: string } }).fault
    host.say(`  ${req.method} → fault ${f?.faultCode ?? '?'} ${f?.faultString ?? (error as Error).message}`)
    host.emit('rpc', req.method)
    throw error
  }
}

/** Answers a request the codec does not model (other-rpcs.ts), or with the fault injected for its name. */
export function answerOtherRequest(host: AnsweringHost, req: UnknownBody): CwmpBody | undefined {
  const refusal = refusalFor(host.faults(), req.name)
  if (refusal) {
    host.say(`  ${req.name} → fault ${refusal.faultCode} (injected)`)
    return { method: 'Fault', ...refusal }
  }
  const response = answerOther(req, { cancelTransfer: (key) => host.transfers.cancel(key) })
  host.say(`  ${req.name} → ${response ? (response.method === 'Raw' ? response.name : response.method) : 'fault 9000'}`)
  return response
}
