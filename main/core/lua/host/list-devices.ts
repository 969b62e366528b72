import { DeviceStatus } from '../../store/types'
import { bad, field, luaType } from './args'
import type { HostFunction } from './context'
import { deviceTable } from './device-table'

/** At most this many devices in one answer; page with { offset = … } past it. */
export const LIST_DEVICES_MAX = 10_000

/**
 * list_devices([filter]) → a list of device tables (as get_device returns), by serial. filter is
 * text matched in serial, alias, model, vendor, version or IP, or a table
 * { text = …, status = 0|1|2, limit = …, offset = … }.
 */
export const listDevices: HostFunction = {
  name: 'list_devices',
  example: `for _, d in ipairs(list_devices({ status = 2 })) do print(d.sn, d.model) end`,
  signature: 'list_devices([filter])',
  summary:
    'Stored devices as a list of device tables, optionally filtered by text or {text=, status=, limit=, offset=}.',
  async call(ctx, args) {
    const fn = 'list_devices'
    const arg = args[0]
    let text: string | undefined
    let status: DeviceStatus | undefined
    let limit = LIST_DEVICES_MAX
    let offset = 0
    if (typeof arg === 'string') text = arg
    else if (arg && typeof arg === 'object' && !Array.isArray(arg)) {
      const t = arg as Record<string, never>
      text = field(fn, t, 'text', 'string', 0)
      const s = field(fn, t, 'status', 'number', 0)
      if (s !== undefined) {
        if (s !== 0 && s !== 1 && s !== 2) throw bad(fn, 0, 'status is 0 (offline), 1 (associating) or 2 (online)')
        status = s
      }
      limit = Math.max(1, Math.min(field(fn, t, 'limit', 'number', 0) ?? limit, LIST_DEVICES_MAX))
      offset = Math.max(0, field(fn, t, 'offset', 'number', 0) ?? 0)
    } else if (arg !== null && arg !== undefined) {
      throw bad(fn, 0, `filter text or table expected, got ${luaType(args, 0)}`)
    }
    const devices = ctx.store.devices.list({
      ...(text ? { text } : {}),
      ...(status !== undefined ? { status } : {}),
      limit,
      offset,
    })
    return [devices.map(deviceTable)]
  },
}
