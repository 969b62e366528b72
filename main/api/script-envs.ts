import type { Bench } from '../core/bench'
import type { EnvInput } from '../core/scripts'
import { MAX_ENV_VARIABLES } from '../core/scripts/envs/library'
import { NotFoundError } from './errors'
import type { StreamHub } from './streams'
import { arr, nonEmpty, obj, optStr } from './validate'

/** One variable as sent; the core checks names, sizes and the secret placeholder. */
function variable(value: unknown, i: number): EnvInput['variables'][number] {
  const v = obj(value, `variable ${i + 1}`)
  return {
    name: nonEmpty(v.name, `variable ${i + 1}'s name`, 64),
    value: optStr(v.value, `variable ${i + 1}'s value`, 8 * 1024) ?? '',
    secret: v.secret === true,
  }
}

/**
 * Script environments (bench.scripts.environments): named variables scripts read as `env`. Every
 * change is announced on the "scripts.envs" stream, so other windows and browser tabs re-read it.
 */
export function envHandlers(bench: Bench, hub: StreamHub) {
  const envs = bench.scripts.environments
  const changed = (id: string, removed = false) => hub.push('scripts.envs', { id, removed }, id)
  return {
    'scripts.envs': async () => envs.list(),
    'scripts.saveEnv': async ([id, value]: unknown[]) => {
      const o = obj(value, 'environment')
      const input: EnvInput = {
        name: nonEmpty(o.name, 'environment name', 100),
        ...(typeof o.isDefault === 'boolean' ? { isDefault: o.isDefault } : {}),
        variables: arr(o.variables ?? [], 'variables', MAX_ENV_VARIABLES).map(variable),
      }
      if (id === null || id === undefined) {
        const created = envs.create(input)
        changed(created.id)
        return created
      }
      const envId = nonEmpty(id, 'environment id', 64)
      if (!envs.get(envId)) throw new NotFoundError('This environment no longer exists (deleted elsewhere?).')
      const saved = envs.update(envId, input)
      changed(envId)
      return saved
    },
    'scripts.removeEnv': async ([id]: unknown[]) => {
      const envId = nonEmpty(id, 'environment id', 64)
      const removed = envs.remove(envId)
      if (removed) changed(envId, true)
      return removed
    },
  }
}
