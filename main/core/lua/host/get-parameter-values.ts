import { argSerial, argStringList, bad, optTable } from './args'
import type { HostFunction } from './context'
import { readRpc, rpcOptions } from './rpc'

/** Names in one request; more is a script bug rather than a need (a partial path covers a subtree). */
export const MAX_NAMES = 10_000

/**
 * get_parameter_values(serial, names [, options]) → {[name] = value} | nil, err. names is one
 * name or a list; a name ending in "." (a partial path) asks for the whole subtree. Values are
 * strings, as the device sent them. options: { timeout_ms = …, wait_for_device = true }.
 */
export const getParameterValues: HostFunction = {
  name: 'get_parameter_values',
  example: `local v, err = get_parameter_values(DEVICE, "InternetGatewayDevice.DeviceInfo.")
if not v then print("failed: " .. err.message) return end
print(v["InternetGatewayDevice.DeviceInfo.SoftwareVersion"])`,
  signature: 'get_parameter_values(serial, names [, options])',
  summary: 'Reads parameters (a name, a list, or a partial path ending in ".") → {[name]=value}, or nil, err.',
  async call(ctx, args) {
    const fn = 'get_parameter_values'
    const serial = argSerial(fn, args, 0)
    const names = argStringList(fn, args, 1)
    if (names.length > MAX_NAMES) throw bad(fn, 1, `at most ${MAX_NAMES} names per call`)
    const options = rpcOptions(fn, optTable(fn, args, 2), 2)
    // Partial paths work on every CPE: read leaf by leaf on one that does not take them (acs/reads.ts).
    const result = await readRpc(ctx, serial, names, options)
    if (!result.ok) return [null, result.error]
    return [Object.fromEntries(result.response.parameterList.map((p) => [p.name, p.value]))]
  },
}
