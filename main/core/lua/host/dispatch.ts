import type { LuaJs } from '../protocol'
import { ScriptCallError } from '../runner'
import type { HostContext } from './context'
import { isLuaErrorValue } from './errors'
import { HOST_FUNCTIONS } from './index'
import { lastError } from './last-error'

const HOST_BY_NAME = new Map(HOST_FUNCTIONS.map((f) => [f.name, f]))

/** The names a worker may call back to the main thread with (its sandbox defines one stub each). */
export const HOST_NAMES: readonly string[] = HOST_FUNCTIONS.map((f) => f.name)

/** How one host call went, for the run's record. */
export interface HostCallOutcome {
  name: string
  /** The device the call was about, when it names one. */
  serial?: string
  ok: boolean
  /** Fault code or error kind (a Lua-side failure), or the thrown message. */
  error?: string
  ms: number
  at: number
}

/**
 * Answers one call a script made to a host function, and tells `note` how it went: ok, a failure
 * returned to Lua as `nil, err` (its fault code or kind), or an error raised in the script.
 */
export async function dispatchHostCall(
  ctx: HostContext,
  name: string,
  args: LuaJs[],
  note: (outcome: HostCallOutcome) => void,
): Promise<LuaJs[]> {
  const fn = HOST_BY_NAME.get(name)
  if (!fn) throw new ScriptCallError(`${name} is not available in scripts`)
  const at = Date.now()
  // Which device the call is about: the first argument, except where that is something else.
  const serialArg = name === 'listen_to_cwmp_event' ? args[1] : name === 'list_devices' ? undefined : args[0]
  const serial = typeof serialArg === 'string' ? serialArg : undefined
  const done = (ok: boolean, error?: string) =>
    note({
      name,
      ok,
      ms: Date.now() - at,
      at,
      ...(serial !== undefined ? { serial } : {}),
      ...(error ? { error } : {}),
    })
  try {
    const values = await fn.call(ctx, args)
    if (fn === lastError) return values
    const err = values[1]
    const ok = values[0] !== null && values[0] !== false
    const failure = !ok && isLuaErrorValue(err) ? err : null
    ctx.lastError.value = failure
    done(ok, failure ? String(failure.$luaError.code ?? failure.$luaError.kind) : undefined)
    return fn.oneValue ? values.slice(0, 1) : values
  } catch (error) {
    done(false, error instanceof Error ? error.message.slice(0, 200) : String(error))
    throw error
  }
}
