import type { DeviceRecord } from '../../store/types'
import type { LuaJs } from '../protocol'

/**
 * A device as get_device and list_devices return it: Oktopus' device fields (sn, model, vendor,
 * version, product_class, alias, status — 0 offline, 1 associating, 2 online), as on the
 * script API page.
 */
export function deviceTable(d: DeviceRecord): Record<string, LuaJs> {
  return {
    sn: d.serial,
    model: d.model,
    vendor: d.manufacturer,
    version: d.softwareVersion,
    product_class: d.productClass,
    alias: d.alias,
    status: d.status,
  }
}
