import { CwmpFaultError } from '../cwmp/faults'
import type { AcsRequest, CpeResponse } from '../cwmp/types'
import type { Store } from '../store'
import type { CapabilityStore } from './capabilities'
import type { ReadResult, RpcExecutor, RpcOptions } from './types'

export interface ReadDeps {
  execute: RpcExecutor['execute']
  capabilities: CapabilityStore
  store: Store
  batchSize: () => number
  /** At least this long a session is held between the steps of one read (config.cwmp.holdSessionMs). */
  holdSessionMs: () => number
}

const isPartial = (name: string) => name === '' || name.endsWith('.')

/**
 * Reads parameter values so that it works on every CPE. TR-069 allows a partial path in
 * GetParameterValues (A.3.2.2), but gSOAP-based stacks and genieacs-sim fault 9005 or crash on one.
 * A partial path goes as written only to a device known to answer them; otherwise it is listed
 * with GetParameterNames (NextLevel false, which every CPE supports) and its leaves are read in
 * batches of config.cwmp.readBatchSize, as GenieACS does. A batch that faults 9005 without saying
 * which name is split in halves until the bad names are found; the good ones are still read.
 * A list of full names longer than a batch is read in batches too (the UI's Refresh reads the
 * leaves it listed); one that fits a batch goes as written, its fault the caller's.
 * The first RPC is queued synchronously, so a caller inside an Inform gets it into that session.
 */
export async function readValues(
  d: ReadDeps,
  serial: string,
  names: string[],
  options: RpcOptions = {},
): Promise<ReadResult> {
  const opts = { ...options, holdSessionMs: Math.max(options.holdSessionMs ?? 0, d.holdSessionMs()) }
  const partial = names.filter(isPartial)
  const size = Math.max(1, d.batchSize())
  if (d.capabilities.get(serial).partialPaths === 'yes' || (partial.length === 0 && names.length <= size)) {
    const r = await d.execute(serial, { method: 'GetParameterValues', parameterNames: names }, opts)
    return { ...r, missing: [] }
  }
  const leaves: string[] = []
  const seen = new Set<string>()
  const add = (name: string) => {
    if (!seen.has(name)) leaves.push(name)
    seen.add(name)
  }
  // The GetParameterNames go out one after the other, in the caller's order: the first at once.
  for (const name of names) {
    if (!isPartial(name)) {
      add(name)
      continue
    }
    const listed = await d.execute(serial, { method: 'GetParameterNames', parameterPath: name, nextLevel: false }, opts)
    for (const p of listed.parameterList) if (!p.name.endsWith('.')) add(p.name)
  }
  const result: ReadResult = { method: 'GetParameterValuesResponse', parameterList: [], missing: [] }
  for (let i = 0; i < leaves.length; i += size) await readBatch(d, serial, leaves.slice(i, i + size), opts, result)
  return result
}

/** One batch; on 9005 (a name it does not have, not saying which) the halves are read apart. */
async function readBatch(
  d: ReadDeps,
  serial: string,
  batch: string[],
  opts: RpcOptions,
  into: ReadResult,
): Promise<void> {
  try {
    const r = await d.execute(serial, { method: 'GetParameterValues', parameterNames: batch }, opts)
    into.parameterList.push(...r.parameterList)
  } catch (error) {
    if (!(error instanceof CwmpFaultError) || error.code !== 9005) throw error
    if (batch.length === 1) {
      into.missing.push(batch[0]!)
      return
    }
    const half = Math.ceil(batch.length / 2)
    await readBatch(d, serial, batch.slice(0, half), opts, into)
    await readBatch(d, serial, batch.slice(half), opts, into)
  }
}

/**
 * Learns from every answer what the CPE can do: a partial path answered with values means it
 * supports them; 9005/9003 to partial paths of objects we know it has means it does not;
 * GetRPCMethods lists its methods.
 */
export function observeAnswer(
  d: { capabilities: CapabilityStore; store: Store },
  serial: string,
  request: AcsRequest,
  body: CpeResponse | { method: 'Fault'; faultCode: number },
): void {
  if (request.method === 'GetParameterValues') {
    const partial = request.parameterNames.filter(isPartial)
    if (partial.length === 0) return
    const support = d.capabilities.get(serial).partialPaths
    if (body.method === 'GetParameterValuesResponse' && body.parameterList.length > 0 && support !== 'yes')
      d.capabilities.setPartialPaths(serial, 'yes')
    else if (
      body.method === 'Fault' &&
      (body.faultCode === 9005 || body.faultCode === 9003) &&
      partial.length === request.parameterNames.length &&
      partial.every((p) => p === '' || d.store.parameters.children(serial, p).length > 0) &&
      support !== 'no'
    )
      d.capabilities.setPartialPaths(serial, 'no')
  } else if (request.method === 'GetRPCMethods' && body.method === 'GetRPCMethodsResponse') {
    d.capabilities.setRpcMethods(serial, body.methodList)
  }
}
