import type { SimModel, SimStatus } from '../../preload/api'
import type { Bench } from '../core/bench'
import { BUILTIN_MODELS, startSimulator, type SimFleet } from '../core/sim'
import { isPickedFile } from '../core/picked-files'
import { BadRequestError } from './errors'
import type { StreamHub } from './streams'
import { int, obj, optInt, optStr } from './validate'

const MODEL_LABELS: Record<string, string> = {
  tr098: 'TR-098 home gateway (Huawei BM632w data model)',
  tr181: 'TR-181 router (Device:2)',
}
/** A laptop serves a bench, not a data centre: past this, use the `bench-acs sim` command. */
const MAX_CPES = 10_000

/**
 * The Simulator page's fleet: one at a time, pointed at this instance's own ACS listener. Started
 * without waiting for every BOOTSTRAP, so the page shows progress as CPEs come in.
 */
export function simHandlers(bench: Bench, hub: StreamHub) {
  let fleet: SimFleet | null = null
  let starting = false
  let model: string | null = null
  let acsUrl: string | null = null
  let error: string | undefined
  const informed = new Set<string>()

  const status = (): SimStatus => ({
    running: Boolean(fleet),
    starting,
    count: fleet?.cpes.length ?? 0,
    informed: informed.size,
    model,
    serials: fleet ? fleet.cpes.slice(0, 200).map((c) => c.serial) : [],
    acsUrl,
    error,
  })
  const publish = () => hub.push('sim.status', status(), 'sim')

  const stop = async () => {
    const current = fleet
    fleet = null
    informed.clear()
    if (current) await current.stop()
  }
  const handlers = {
    'sim.models': async (): Promise<SimModel[]> =>
      Object.keys(BUILTIN_MODELS).map((id) => ({ id, label: MODEL_LABELS[id] ?? id })),
    'sim.status': async () => status(),
    'sim.start': async ([requestValue]: unknown[]): Promise<SimStatus> => {
      const r = obj(requestValue, 'simulator request')
      const count = int(r.count, 'number of CPEs', 1, MAX_CPES)
      const modelName = optStr(r.model, 'data model', 1024) || 'tr098'
      // A built-in model, or a model file picked in the app: never any other path (docs/security.md).
      if (!BUILTIN_MODELS[modelName.toLowerCase()] && !isPickedFile(bench.config.dataDir, modelName))
        throw new BadRequestError(
          `Unknown data model "${modelName}": pick one of ${Object.keys(BUILTIN_MODELS).join(', ')}, or choose a model file in the app.`,
        )
      const serialPrefix = optStr(r.serialPrefix, 'serial prefix', 32) || 'SIM'
      if (!/^[A-Za-z0-9_-]+$/.test(serialPrefix))
        throw new BadRequestError('The serial prefix may use letters, digits, - and _.')
      const interval = optInt(r.periodicInformInterval, 'inform interval', 0, 86_400)
      if (fleet || starting) throw new BadRequestError('Simulated CPEs are already running: stop them first.')
      const address = bench.acs.address
      if (!address)
        throw new BadRequestError('The ACS is not listening, so simulated CPEs have nowhere to inform. See Settings.')
      const host =
        address.bind === '0.0.0.0' || address.bind === '::' || address.bind === '' ? '127.0.0.1' : address.bind
      acsUrl = `${address.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}/`
      const auth = bench.config.cwmp.auth
      starting = true
      error = undefined
      model = modelName
      informed.clear()
      publish()
      try {
        const started = await startSimulator({
          acsUrl,
          count,
          model: modelName,
          serialPrefix,
          periodicInformInterval: interval,
          waitForBootstrap: false,
          // The credentials the ACS wakes devices with, so connection requests to them work.
          connectionRequestUsername: bench.config.connectionRequest.username,
          connectionRequestPassword: bench.config.connectionRequest.password,
          ...(auth.mode === 'none' ? {} : { acsUsername: auth.username, acsPassword: auth.password }),
        })
        fleet = started
        started.on((event) => {
          if (event.name === 'session-end' && !informed.has(event.serial)) {
            informed.add(event.serial)
            publish()
          }
        })
      } catch (e) {
        error = `The simulator could not start: ${e instanceof Error ? e.message : String(e)}`
        throw new BadRequestError(error)
      } finally {
        starting = false
        publish()
      }
      return status()
    },
    'sim.stop': async (): Promise<SimStatus> => {
      await stop()
      publish()
      return status()
    },
  }
  // The API's close() stops the fleet before the core closes.
  return { handlers, dispose: stop }
}
