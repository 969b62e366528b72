import { argSerial, argString, bad, field, optTable } from './args'
import type { HostFunction } from './context'
import { executeRpc, rpcOptions } from './rpc'

/**
 * delete_object(serial, path [, options]) → true, status | false, err. path is one instance
 * ending in "." (e.g. "…WLANConfiguration.3."). options: { parameter_key = …, timeout_ms, wait_for_device }.
 */
export const deleteObject: HostFunction = {
  name: 'delete_object',
  example: `local ok, err = delete_object(DEVICE, "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.3.")`,
  signature: 'delete_object(serial, path [, options])',
  summary: 'Deletes one object instance (path ends in ".") → true, status, or false, err.',
  async call(ctx, args) {
    const fn = 'delete_object'
    const serial = argSerial(fn, args, 0)
    const path = argString(fn, args, 1, 'object path')
    if (!path.endsWith('.')) throw bad(fn, 1, `an object instance path ends in "." (got "${path}")`)
    const opts = optTable(fn, args, 2)
    const parameterKey = field(fn, opts, 'parameter_key', 'string', 2) ?? ''
    const result = await executeRpc(
      ctx,
      serial,
      { method: 'DeleteObject', objectName: path, parameterKey },
      rpcOptions(fn, opts, 2),
    )
    if (!result.ok) return [false, result.error]
    return [true, result.response.status]
  },
}
