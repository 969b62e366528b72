import type { LuaJs } from '../../protocol'

/** Longest single sleep, ms: a day. Longer waits are loops around sleep, which a stop can end. */
export const MAX_SLEEP_MS = 24 * 3_600_000

/**
 * sleep(ms): pauses the script without using CPU (it yields; the worker is idle). Runs in the
 * worker: no round trip to the main thread. Raises on a negative, non-number or over-a-day value.
 */
export async function sleep(args: LuaJs[]): Promise<LuaJs[]> {
  const ms = args[0]
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new Error(`bad argument #1 to 'sleep' (milliseconds expected, got ${ms === null ? 'nil' : typeof ms})`)
  if (ms < 0 || ms > MAX_SLEEP_MS)
    throw new Error(`bad argument #1 to 'sleep' (between 0 and ${MAX_SLEEP_MS} ms, got ${ms})`)
  await new Promise((resolve) => setTimeout(resolve, ms))
  return []
}
