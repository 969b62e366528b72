import type { SimStatus } from '../../preload/api'
import type { Bench } from '../core/bench'
import { BUILTIN_MODELS } from '../core/sim'
import { SIM_MAX_CPES, SIM_MAX_PREFIX } from '../core/sim/service'
import { isPickedFile } from '../core/picked-files'
import { BadRequestError } from './errors'
import { int, obj, optInt, optStr, str } from './validate'

/** The Simulator page: argument types here, the fleet and its rules in the core (SimService). */
export function simHandlers(bench: Bench) {
  return {
    'sim.models': async () => bench.sim.models(),
    'sim.status': async () => bench.sim.status(),
    'sim.start': async ([requestValue]: unknown[]): Promise<SimStatus> => {
      const r = obj(requestValue, 'simulator request')
      const model = optStr(r.model, 'data model', 1024) || 'tr098'
      // A built-in model, or a model file picked in the app: never any other path (docs/security.md).
      if (!BUILTIN_MODELS[model.toLowerCase()] && !isPickedFile(bench.config.dataDir, model))
        throw new BadRequestError(
          `Unknown data model "${model}": pick one of ${Object.keys(BUILTIN_MODELS).join(', ')}, or choose a model file in the app.`,
        )
      const interval = optInt(r.periodicInformInterval, 'inform interval', 0, 86_400)
      return bench.sim.start({
        count: int(r.count, 'number of CPEs', 1, SIM_MAX_CPES),
        model,
        serialPrefix: optStr(r.serialPrefix, 'serial prefix', SIM_MAX_PREFIX),
        ...(interval !== undefined ? { periodicInformInterval: interval } : {}),
      })
    },
    'sim.stop': async (): Promise<SimStatus> => bench.sim.stop(),
    'sim.faults': async ([serialValue, faultsValue]: unknown[]): Promise<SimStatus> =>
      // The shape of the faults is checked in the core (checkFaults), which says what is wrong.
      bench.sim.setFaults(str(serialValue, 'serial', 64), faultsValue),
    'sim.changeValue': async ([serialValue, nameValue, value]: unknown[]): Promise<{ notification: number }> =>
      bench.sim.changeLocally(
        str(serialValue, 'serial', 256),
        str(nameValue, 'parameter name', 1024),
        str(value, 'value'),
      ),
  }
}
