import { argSerial, argString, optBoolean, optTable } from './args'
import type { HostFunction } from './context'
import { executeRpc, rpcOptions } from './rpc'

/**
 * get_parameter_names(serial, path [, next_level] [, options]) → {[name] = writable} | nil, err.
 * path is a partial path ending in "." (or "" for the whole tree); next_level = true lists only
 * the direct children. Object names end in ".".
 */
export const getParameterNames: HostFunction = {
  name: 'get_parameter_names',
  example: `local names = get_parameter_names(DEVICE, "InternetGatewayDevice.LANDevice.1.", true)
for name, writable in pairs(names or {}) do print(name, writable) end`,
  signature: 'get_parameter_names(serial, path [, next_level] [, options])',
  summary: 'Lists names under a path → {[name]=writable}, or nil, err; next_level=true for direct children only.',
  async call(ctx, args) {
    const fn = 'get_parameter_names'
    const serial = argSerial(fn, args, 0)
    const path = argString(fn, args, 1, 'parameter path')
    const nextLevel = optBoolean(fn, args, 2, false)
    const options = rpcOptions(fn, optTable(fn, args, 3), 3)
    const result = await executeRpc(
      ctx,
      serial,
      { method: 'GetParameterNames', parameterPath: path, nextLevel },
      options,
    )
    if (!result.ok) return [null, result.error]
    return [Object.fromEntries(result.response.parameterList.map((p) => [p.name, p.writable]))]
  },
}
