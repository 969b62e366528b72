import { decodeGeneric, RawRequestError, readRawRequest } from '../../cwmp/raw'
import { XSI } from '../../cwmp/namespaces'
import type { ParameterValueStruct, RawRequest, RawResponse } from '../../cwmp/types'
import { child, childrenNamed, parseXml } from '../../cwmp/xml'
import type { LuaJs } from '../protocol'
import { ScriptCallError } from '../runner'
import { argSerial, argString, bad, luaType, optTable } from './args'
import type { HostFunction } from './context'
import { executeRpc, rpcOptions } from './rpc'
import { typeFor } from './xsd-types'

/** Largest envelope a script may send, bytes. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/**
 * send_cwmp_message(serial, xml, type [, options]) — the script API page's function, returning
 * exactly one value as the page says. The envelope's one RPC goes to the device as written, inside
 * the ACS's envelope with the ACS's header (cwmp:ID, HoldRequests): any request an ACS sends,
 * vendor X_… ones included. The device is woken with a connection request when it is not in a
 * session. `type` only says what to return (see MESSAGE_TYPES): 0 a table of values (nil on
 * failure), 1 true or false, any other the answer decoded as a table (nil on failure). Why a call
 * failed is last_error(). A mistake in the call itself (XML that is not one CWMP request, a type
 * that is not a whole number) raises an error and nothing is sent.
 */
export const sendCwmpMessage: HostFunction = {
  name: 'send_cwmp_message',
  oneValue: true,
  example: `local values = send_cwmp_message(DEVICE, xml, 0)  -- xml: a SOAP envelope with a GetParameterValues
if values then for name, value in pairs(values) do print(name .. ": " .. value) end
else print("failed: " .. tostring(last_error())) end`,
  signature: 'send_cwmp_message(serial, xml, type [, options])',
  summary:
    "Sends the envelope's RPC to the device as written. Type 0 → {[name]=value} or nil; 1 → true or false; other → the answer as a table or nil. Why it failed: last_error().",
  async call(ctx, args) {
    const fn = 'send_cwmp_message'
    const serial = argSerial(fn, args, 0)
    const xml = argString(fn, args, 1, 'XML envelope (string)')
    // A numeric string counts, as for Lua's own integer arguments (luaL_checkinteger).
    const type = typeof args[2] === 'string' && args[2].trim() !== '' ? Number(args[2]) : args[2]
    if (typeof type !== 'number' || !Number.isInteger(type))
      throw bad(fn, 2, `message type (0 read, 1 set, other: any RPC) expected, got ${luaType(args, 2)}`)
    const options = rpcOptions(fn, optTable(fn, args, 3), 3)
    let request: RawRequest
    try {
      request = readRawRequest(xml, MAX_MESSAGE_BYTES)
    } catch (error) {
      if (error instanceof RawRequestError) throw new ScriptCallError(`${fn}: ${error.message}`)
      throw error
    }
    if (request.typed?.method === 'SetParameterValues')
      request = {
        ...request,
        typed: { ...request.typed, parameterList: withStoredTypes(ctx, serial, xml, request.typed.parameterList) },
      }

    const result = await executeRpc(ctx, serial, request, options)
    if (!result.ok) return [type === 1 ? false : null, result.error]
    return [type === 1 ? true : answerTable(type, result.response)]
  },
}

/** Type 0 of a GetParameterValues: {[name] = value}, as the page shows; else the answer as written. */
function answerTable(type: number, response: RawResponse): LuaJs {
  if (type === 0 && response.typed?.method === 'GetParameterValuesResponse')
    return Object.fromEntries(response.typed.parameterList.map((p) => [p.name, p.value]))
  return decodeGeneric(response.xml)
}

/**
 * The store's record of a SetParameterValues: a value sent without xsi:type (as on the page) keeps
 * the type the device reported for that parameter instead of becoming xsd:string. The wire copy
 * stays as written.
 */
function withStoredTypes(
  ctx: Parameters<HostFunction['call']>[0],
  serial: string,
  xml: string,
  list: ParameterValueStruct[],
): ParameterValueStruct[] {
  const root = parseXml(xml, { maxBytes: MAX_MESSAGE_BYTES })
  const body = root.children.find((c) => c.local === 'Body')
  const structs = childrenNamed(child(child(body, 'SetParameterValues'), 'ParameterList'), 'ParameterValueStruct')
  return list.map((p, i) => {
    const value = child(structs[i], 'Value')
    const typed = value !== undefined && value.attrsNs[`{${XSI}}type`] !== undefined
    return typed ? p : { ...p, type: typeFor(ctx.store, serial, p.name, p.value) }
  })
}
