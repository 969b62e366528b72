import { argSerial } from './args'
import type { HostFunction } from './context'
import { deviceTable } from './device-table'
import { luaError } from './errors'

/**
 * get_device(serial) → false when the device is unknown (last_error() says so), else
 * { sn, model, vendor, version, product_class, alias, status } (status 0 offline, 1 associating,
 * 2 online). Reads the store only: it never contacts the device.
 */
export const getDevice: HostFunction = {
  name: 'get_device',
  oneValue: true,
  example: `local d = get_device(DEVICE)
if d then print(d.vendor, d.model, d.version) else print("unknown device") end`,
  signature: 'get_device(serial)',
  summary: 'The stored device as {sn, model, vendor, version, product_class, alias, status}, or false when unknown.',
  async call(ctx, args) {
    const serial = argSerial('get_device', args, 0)
    const device = ctx.store.devices.get(serial)
    if (!device)
      return [
        false,
        luaError('unknown_device', `device ${serial} is not known: it has never sent an Inform to this ACS`),
      ]
    return [deviceTable(device)]
  },
}
