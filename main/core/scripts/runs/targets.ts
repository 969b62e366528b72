import type { Store } from '../../store'
import { ScriptInputError } from '../errors'
import { checkTarget } from '../triggers/engine'
import type { RunTarget } from '../types'

/**
 * The serials of each run a target asks for: one empty list (no device), or one list per device.
 * Strict (manual runs) refuses unknown serials and "all" with no devices; triggers are lenient.
 */
export function resolveTargets(store: Store, target: RunTarget, strict: boolean): string[][] {
  const t = checkTarget(target)
  if (t.kind === 'none') return [[]]
  if (t.kind === 'all') {
    const serials = store.devices.list().map((d) => d.serial)
    if (serials.length === 0 && strict)
      throw new ScriptInputError('no devices are known yet: a device appears once it has sent an Inform')
    return serials.map((s) => [s])
  }
  if (strict) {
    const unknown = t.serials.filter((s) => !store.devices.get(s))
    if (unknown.length > 0)
      throw new ScriptInputError(
        `unknown device${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}`,
      )
  }
  return t.serials.map((s) => [s])
}
