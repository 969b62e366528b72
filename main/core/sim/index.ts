import type { SimEvent, SimFleet, SimOptions, SimulatedCpe } from './api'
import { Cpe } from './cpe'
import { loadModel } from './model/load'

export type { SimEvent, SimEventName, SimFleet, SimOptions, SimulatedCpe } from './api'
export { loadModel, resolveModelPath, resourcesDir, BUILTIN_MODELS } from './model/load'
export { buildDefinition, ModelError, type ModelDefinition, type ParamDef, type RawRow } from './model/definition'
export { DataModel } from './model/data-model'
export {
  checkFaults,
  describeFaults,
  FaultInputError,
  MAX_ANSWER_DELAY_MS,
  NO_FAULTS,
  type CpeFaults,
  type RefusedRpc,
} from './faults'
export { isSimulatedCpe } from './identity'

/** Listeners are opened this many at a time, so a 500-CPE fleet does not burst the fd table at once. */
const START_BATCH = 100

/**
 * Starts `count` simulated CPEs against an ACS. Each gets its own data model (copied from the
 * model file), serial, connection-request listener and session loop. Resolves once every CPE has
 * completed its first session (0 BOOTSTRAP + 1 BOOT), unless waitForBootstrap is false.
 */
export async function startSimulator(options: SimOptions): Promise<SimFleet> {
  const count = options.count ?? 1
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`)
  let acsUrl: URL
  try {
    acsUrl = new URL(options.acsUrl)
    if (acsUrl.protocol !== 'http:' && acsUrl.protocol !== 'https:') throw new Error('not http')
  } catch {
    throw new Error(`the ACS URL must be an http:// or https:// URL, got "${options.acsUrl}"`)
  }
  const interval = options.periodicInformInterval
  if (interval !== undefined && !(Number.isFinite(interval) && interval >= 0))
    throw new Error(`periodicInformInterval must be 0 (off) or a number of seconds, got ${interval}`)
  const definition = options.definition ?? loadModel(options.model ?? 'tr098')
  if (options.serial !== undefined && count !== 1) throw new Error('serial names one CPE: count must be 1')
  const listeners = new Set<(event: SimEvent) => void>()
  const emit = (event: SimEvent) => {
    for (const l of listeners) {
      try {
        l(event)
      } catch {
        // A listener's bug must not stop a CPE.
      }
    }
  }
  const log = options.log ?? (() => {})
  const prefix = options.serialPrefix ?? 'SIM'
  const first = options.firstIndex ?? 1
  const cpes: Cpe[] = []
  for (let i = 0; i < count; i++) {
    const index = first + i
    const serial = options.serial ?? `${prefix}${String(index).padStart(6, '0')}`
    cpes.push(
      new Cpe({
        index,
        serial,
        definition,
        acsUrl: acsUrl.href,
        version: options.cwmpVersion ?? 'cwmp-1-0',
        connectionRequestBind: options.connectionRequestBind ?? '127.0.0.1',
        connectionRequestUsername: options.connectionRequestUsername ?? 'cr',
        connectionRequestPassword: options.connectionRequestPassword ?? 'cr',
        acsUsername: options.acsUsername ?? serial,
        acsPassword: options.acsPassword ?? '',
        periodicInformInterval: interval,
        retryMinimumWaitInterval: options.retryMinimumWaitInterval,
        keepAlive: options.keepAlive !== false,
        emit,
        log,
      }),
    )
  }

  let stopping: Promise<void> | undefined
  const fleet: SimFleet = {
    cpes: cpes as SimulatedCpe[],
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    stop() {
      stopping ??= Promise.all(cpes.map((c) => c.stop())).then(() => {
        options.signal?.removeEventListener('abort', onAbort)
      })
      return stopping
    },
  }
  const onAbort = () => void fleet.stop()
  if (options.signal?.aborted) throw new Error('the simulator was aborted before it started')
  options.signal?.addEventListener('abort', onAbort, { once: true })

  try {
    for (let i = 0; i < cpes.length; i += START_BATCH)
      await Promise.all(cpes.slice(i, i + START_BATCH).map((c) => c.start()))
  } catch (error) {
    await fleet.stop()
    throw new Error(`cannot start the connection-request listeners: ${(error as Error).message}`, { cause: error })
  }
  const bootAll = () => {
    for (const c of cpes) c.boot()
  }
  if (options.waitForBootstrap === false) {
    // After the caller's `await` has resumed, so that listeners it adds at once see every session.
    setImmediate(bootAll)
  } else {
    bootAll()
    try {
      await Promise.all(cpes.map((c) => c.bootstrappedOnce()))
    } catch (error) {
      await fleet.stop()
      throw error
    }
  }
  return fleet
}
