import type { LuaJs } from '../protocol'
import { bad, luaType } from './args'
import type { HostFunction } from './context'
import { luaError } from './errors'
import { eventNumber, type EventFilter } from './cwmp-events'

/** Longest single wait with a timeout, ms (a day); without a timeout the wait has no end. */
const MAX_TIMEOUT_MS = 24 * 3_600_000

/**
 * listen_to_cwmp_event([event], [serial], [timeout_ms]) — the script API page's function. Waits
 * until a device informs with a matching CWMP event and returns
 * { serial_number = …, event = "2", code = "2 PERIODIC", command_key = … }. `event` is the
 * page's number ("0" BOOTSTRAP … "12" AUTONOMOUS DU STATE CHANGE COMPLETE), a full code
 * ("M Reboot") or a list of them; nil listens to all. `serial` (or a list) narrows it to those
 * devices. With timeout_ms it gives up after that long and returns nil (last_error() says why).
 *
 * Events are kept for the run from its start (the last 1000) until a call takes them, so a loop
 * misses none and a script that reboots a device and then listens for "1" cannot miss the boot. A
 * call discards the older events its filter does not match.
 */
export const listenToCwmpEvent: HostFunction = {
  name: 'listen_to_cwmp_event',
  oneValue: true,
  example: `while true do
  local e = listen_to_cwmp_event("1")  -- every BOOT, from any device
  print("boot of " .. e.serial_number)
end`,
  signature: 'listen_to_cwmp_event([event], [serial], [timeout_ms])',
  summary:
    'Waits for a CWMP event ("0" BOOTSTRAP … "12"; nil = any) from a device (nil = any) → {serial_number, event, code, command_key}.',
  async call(ctx, args) {
    const fn = 'listen_to_cwmp_event'
    const filter: EventFilter = { events: list(fn, args, 0, 'event code'), serials: list(fn, args, 1, 'serial number') }
    const t = args[2]
    let timeoutMs: number | undefined
    if (t !== null && t !== undefined) {
      if (typeof t !== 'number' || !(t >= 0)) throw bad(fn, 2, `timeout in ms expected, got ${luaType(args, 2)}`)
      timeoutMs = Math.min(t, MAX_TIMEOUT_MS)
    }
    const queue = ctx.cwmpEvents()
    ctx.setWaiting('event')
    try {
      const event = await queue.next(filter, ctx.signal, timeoutMs)
      if (!event) return [null, luaError('timeout', `no matching CWMP event within ${timeoutMs ?? 0} ms`)]
      return [
        {
          serial_number: event.serial,
          event: eventNumber(event.code),
          code: event.code,
          command_key: event.commandKey,
        },
      ]
    } finally {
      ctx.setWaiting(null)
    }
  },
}

function list(fn: string, args: LuaJs[], i: number, what: string): string[] {
  const v = args[i]
  if (v === null || v === undefined) return []
  if (typeof v === 'string') return v.trim() === '' ? [] : [v]
  if (typeof v === 'number') return [String(v)]
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String)
  throw bad(fn, i, `${what} (string) or list expected, got ${luaType(args, i)}`)
}
