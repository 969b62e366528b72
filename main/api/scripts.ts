import type { RunQuery, SyntaxIssue } from '../../preload/api'
import type { Bench } from '../core/bench'
import { MAX_SOURCE_BYTES, type RunTarget, type ScriptRecord, type TriggerInput } from '../core/scripts'
import { MAX_RUN_SERIALS } from '../core/scripts/triggers/engine'
import { MAX_TRIGGERS_PER_SCRIPT } from '../core/scripts/service'
import { envHandlers } from './script-envs'
import type { StreamHub } from './streams'
import { BadRequestError, NotFoundError } from './errors'
import { arr, nonEmpty, obj, oneOf, optInt, optObj, optStr, str } from './validate'

/** What a new script starts with: the three Oktopus functions, ready to try on a device. */
export const NEW_SCRIPT = `-- DEVICE is the serial this run is for (nil when run on no device).
local device = get_device(DEVICE)
if not device then
  print("Run me on a device: pick one in the bar below.")
  return
end
print("Hello from " .. device.sn .. " (" .. device.vendor .. " " .. device.model .. ")")
`

/** A source's length in characters is at most its length in UTF-8 bytes: the core checks the bytes. */
const MAX_SOURCE = MAX_SOURCE_BYTES

function idArg(value: unknown, what = 'script id'): string {
  return nonEmpty(value, what, 64)
}

function target(value: unknown): RunTarget {
  const t = obj(value, 'run target')
  const kind = oneOf(t.kind, ['none', 'all', 'devices'] as const, 'run target')
  if (kind !== 'devices') return { kind }
  const serials = arr(t.serials, 'serials', MAX_RUN_SERIALS).map((s) => nonEmpty(s, 'serial', 256).trim())
  if (serials.length === 0) throw new BadRequestError('Name at least one device to run on.')
  return { kind, serials: [...new Set(serials)] }
}

/** The script library's and runtime's calls, onto the scripts service (main/core/scripts). */
export function scriptHandlers(bench: Bench, hub: StreamHub) {
  const { scripts } = bench
  const existing = (id: string): ScriptRecord => {
    const script = scripts.get(id)
    if (!script) throw new NotFoundError('This script no longer exists (deleted elsewhere?).')
    return script
  }
  const freeName = (base: string) => {
    const taken = new Set(scripts.list().map((s) => s.name))
    if (!taken.has(base)) return base
    for (let i = 2; ; i++) if (!taken.has(`${base} ${i}`)) return `${base} ${i}`
  }

  return {
    'scripts.list': async () => scripts.list(),
    'scripts.get': async ([id]: unknown[]) => scripts.get(idArg(id)) ?? null,
    'scripts.create': async ([name, source]: unknown[]) =>
      scripts.create({
        name: nonEmpty(name, 'name', 200).trim(),
        source: optStr(source, 'source', MAX_SOURCE) ?? NEW_SCRIPT,
      }),
    'scripts.save': async ([id, source]: unknown[]) => {
      const script = existing(idArg(id))
      return scripts.update(script.id, { source: str(source, 'source', MAX_SOURCE) })
    },
    'scripts.rename': async ([id, name]: unknown[]) => {
      const script = existing(idArg(id))
      return scripts.update(script.id, { name: nonEmpty(name, 'name', 200).trim() })
    },
    'scripts.duplicate': async ([id]: unknown[]) => {
      const script = existing(idArg(id))
      return scripts.create({
        name: freeName(`${script.name} copy`),
        source: script.source,
        description: script.description,
        limits: script.limits,
      })
    },
    'scripts.remove': async ([id]: unknown[]) => scripts.remove(idArg(id)),
    'scripts.versions': async ([id]: unknown[]) => scripts.versions(existing(idArg(id)).id),
    'scripts.check': async ([source]: unknown[]): Promise<SyntaxIssue[]> => {
      const result = scripts.check(str(source, 'source', MAX_SOURCE))
      return result.ok ? [] : [{ line: result.line, message: result.message }]
    },
    'scripts.api': async () => scripts.api(),
    'scripts.run': async ([id, targetValue, envValue]: unknown[]) => {
      const script = existing(idArg(id))
      const env = optStr(envValue, 'environment', 100)
      return scripts.run(script.id, { target: target(targetValue), by: 'ui', ...(env ? { env } : {}) })
    },
    'scripts.stop': async ([runId]: unknown[]) => scripts.stop(idArg(runId, 'run id')),
    'scripts.stopBatch': async ([batchId]: unknown[]) => scripts.stopBatch(idArg(batchId, 'batch id')),
    'scripts.batches': async () => scripts.batches(),
    'scripts.runs': async ([queryValue]: unknown[]) => {
      const q = optObj(queryValue, 'query') as RunQuery
      const limit = optInt(q.limit, 'limit', 1, 1000) ?? 100
      if (q.active === true)
        return scripts
          .active()
          .filter((r) => q.inBatch !== false || !r.batchId)
          .slice(0, limit)
      return scripts.runs({ scriptId: optStr(q.scriptId, 'script id', 64), limit })
    },
    'scripts.output': async ([runId]: unknown[]) => scripts.output(idArg(runId, 'run id'), 0, 10_000),
    'scripts.triggers': async ([id]: unknown[]) => scripts.triggers(existing(idArg(id)).id),
    'scripts.setTriggers': async ([id, list]: unknown[]) => {
      const script = existing(idArg(id))
      const wanted = arr(list, 'triggers', MAX_TRIGGERS_PER_SCRIPT).map((t, i) => {
        const o = obj(t, `trigger ${i + 1}`) as TriggerInput & { id?: unknown }
        const tid = optStr(o.id, 'trigger id', 64)
        return { ...(tid ? { id: tid } : {}), input: o as TriggerInput }
      })
      return scripts.setTriggers(script.id, wanted)
    },
    ...envHandlers(bench, hub),
  }
}
