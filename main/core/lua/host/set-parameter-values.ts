import type { ParameterValueStruct } from '../../cwmp/types'
import type { LuaJs } from '../protocol'
import { argSerial, argTable, bad, field, optTable } from './args'
import type { HostFunction } from './context'
import { luaError } from './errors'
import { MAX_NAMES } from './get-parameter-values'
import { executeRpc, rpcOptions } from './rpc'
import { typeFor, typeProblem, valueText } from './xsd-types'

/**
 * set_parameter_values(serial, values [, options]) → true, status | false, err.
 * values: { [name] = value, … } where a value is a string, number or boolean, or
 * { value = …, type = "xsd:unsignedInt" } to choose the type. Without a type, the one the device
 * reported for the parameter is used (else one guessed from the Lua value). Values that cannot be
 * of their type are refused before anything is sent (kind "invalid"). status: 0 applied, 1
 * applied after a reboot. options: { parameter_key = …, timeout_ms = …, wait_for_device = true }.
 */
export const setParameterValues: HostFunction = {
  name: 'set_parameter_values',
  example: `local ok, err = set_parameter_values(DEVICE, {
  ["InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID"] = "Bench-Test",
})
if not ok then print(err.code, err.message) end`,
  signature: 'set_parameter_values(serial, {[name] = value, …} [, options])',
  summary:
    "Writes parameters; types come from the device's data model unless given as {value=, type=} → true, status or false, err.",
  async call(ctx, args) {
    const fn = 'set_parameter_values'
    const serial = argSerial(fn, args, 0)
    const values = argTable(fn, args, 1, 'table of name = value')
    const opts = optTable(fn, args, 2)
    const options = rpcOptions(fn, opts, 2)
    const parameterKey = field(fn, opts, 'parameter_key', 'string', 2) ?? ''
    const entries = Object.entries(values)
    if (entries.length === 0) throw bad(fn, 1, 'no parameters to set')
    if (entries.length > MAX_NAMES) throw bad(fn, 1, `at most ${MAX_NAMES} parameters per call`)
    const list: ParameterValueStruct[] = []
    const problems: string[] = []
    for (const [name, raw] of entries) {
      const { value, type } = unpack(fn, name, raw)
      const xsd = typeFor(ctx.store, serial, name, value, type)
      const text = valueText(value)
      const problem = typeProblem(xsd, text)
      if (problem) problems.push(`${name}: "${text}" is not a valid ${xsd} (${problem})`)
      list.push({ name, value: text, type: xsd })
    }
    if (problems.length) return [false, luaError('invalid', `nothing was sent: ${problems.join('; ')}`)]
    const result = await executeRpc(
      ctx,
      serial,
      { method: 'SetParameterValues', parameterList: list, parameterKey },
      options,
    )
    if (!result.ok) return [false, result.error]
    return [true, result.response.status]
  },
}

function unpack(fn: string, name: string, raw: LuaJs): { value: string | number | boolean; type?: string } {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { value: raw }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const t = raw as Record<string, LuaJs>
    const value = t.value
    const type = t.type
    if (
      (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') &&
      (type === undefined || type === null || typeof type === 'string')
    )
      return { value, ...(typeof type === 'string' ? { type } : {}) }
  }
  throw bad(fn, 1, `value of '${name}' must be a string, number, boolean or {value = …, type = "xsd:…"}`)
}
