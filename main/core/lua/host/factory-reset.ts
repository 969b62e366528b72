import { argSerial, optTable } from './args'
import type { HostFunction } from './context'
import { executeRpc, rpcOptions } from './rpc'

/**
 * factory_reset(serial [, options]) → true | false, err. The device resets after the session and
 * comes back with "0 BOOTSTRAP". options: { timeout_ms, wait_for_device }.
 */
export const factoryReset: HostFunction = {
  name: 'factory_reset',
  example: `assert(factory_reset(DEVICE))
listen_to_cwmp_event("0", DEVICE)  -- it returns with 0 BOOTSTRAP`,
  signature: 'factory_reset(serial [, options])',
  summary: 'Asks the device to reset to factory defaults → true, or false, err; it comes back with "0 BOOTSTRAP".',
  async call(ctx, args) {
    const fn = 'factory_reset'
    const serial = argSerial(fn, args, 0)
    const result = await executeRpc(ctx, serial, { method: 'FactoryReset' }, rpcOptions(fn, optTable(fn, args, 1), 1))
    return result.ok ? [true] : [false, result.error]
  },
}
