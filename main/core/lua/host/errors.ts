import { ConnectionRequestError, RpcCancelledError, RpcTimeoutError, UnknownDeviceError } from '../../acs/types'
import { CwmpFaultError, faultMeaning } from '../../cwmp/faults'
import type { LuaErrorValue, LuaJs } from '../protocol'
import { errorMessage } from '../../errors'

/**
 * The `err` of `nil, err` / `false, err`: a table with kind, message and (for CWMP faults) code,
 * fault_string and, for SetParameterValues, the per-parameter faults. print(err) and "x" .. err
 * show the message.
 */
export function luaError(kind: string, message: string, extra: Record<string, LuaJs> = {}): LuaErrorValue {
  return { $luaError: { kind, message, ...extra } }
}

export function isLuaErrorValue(v: unknown): v is LuaErrorValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && '$luaError' in v
}

export function rpcErrorValue(error: unknown): LuaErrorValue {
  if (error instanceof CwmpFaultError) {
    const f = error.fault
    return luaError(
      'fault',
      `CWMP fault ${f.faultCode} (${faultMeaning(f.faultCode)})${f.faultString ? `: ${f.faultString}` : ''}`,
      {
        code: f.faultCode,
        fault_string: f.faultString,
        ...(f.setParameterValuesFaults?.length
          ? {
              parameters: f.setParameterValuesFaults.map((p) => ({
                name: p.parameterName,
                code: p.faultCode,
                message: p.faultString || faultMeaning(p.faultCode),
              })),
            }
          : {}),
      },
    )
  }
  if (error instanceof RpcTimeoutError) return luaError('timeout', error.message)
  if (error instanceof ConnectionRequestError)
    return luaError(
      'unreachable',
      `${error.message}; pass { wait_for_device = true } to keep the request queued for the device's next Inform`,
    )
  if (error instanceof UnknownDeviceError) return luaError('unknown_device', error.message)
  if (error instanceof RpcCancelledError) return luaError('cancelled', error.message)
  return luaError('error', errorMessage(error))
}
