import { argSerial, argString, bad, field, optTable } from './args'
import type { HostFunction } from './context'
import { executeRpc, rpcOptions } from './rpc'

/**
 * add_object(serial, path [, options]) → instance_number, status | nil, err. path is the
 * multi-instance object ending in "." (e.g. "InternetGatewayDevice.LANDevice.1.WLANConfiguration.");
 * the new instance is path .. instance_number .. ".". options: { parameter_key = …, timeout_ms, wait_for_device }.
 */
export const addObject: HostFunction = {
  name: 'add_object',
  example: `local n, status = add_object(DEVICE, "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.")
print("new instance " .. tostring(n))`,
  signature: 'add_object(serial, path [, options])',
  summary: 'Creates an instance of a multi-instance object (path ends in ".") → instance_number, status, or nil, err.',
  async call(ctx, args) {
    const fn = 'add_object'
    const serial = argSerial(fn, args, 0)
    const path = argString(fn, args, 1, 'object path')
    if (!path.endsWith('.')) throw bad(fn, 1, `an object path ends in "." (got "${path}")`)
    const opts = optTable(fn, args, 2)
    const parameterKey = field(fn, opts, 'parameter_key', 'string', 2) ?? ''
    const result = await executeRpc(
      ctx,
      serial,
      { method: 'AddObject', objectName: path, parameterKey },
      rpcOptions(fn, opts, 2),
    )
    if (!result.ok) return [null, result.error]
    return [result.response.instanceNumber, result.response.status]
  },
}
