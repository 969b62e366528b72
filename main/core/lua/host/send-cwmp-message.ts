import { CwmpDecodeError, decodeEnvelope } from '../../cwmp/decode'
import { XSI } from '../../cwmp/namespaces'
import type { AcsRequest, ParameterValueStruct } from '../../cwmp/types'
import { child, childrenNamed, parseXml } from '../../cwmp/xml'
import { ScriptCallError } from '../runner'
import { argSerial, argString, bad, luaType, optTable } from './args'
import type { HostFunction } from './context'
import { isRead, MESSAGE_TYPES, responseValues } from './message-types'
import { executeRpc, rpcOptions } from './rpc'
import { typeFor } from './xsd-types'

/** Largest envelope a script may send, bytes. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

const ACS_METHODS = new Set(MESSAGE_TYPES.map((t) => t.method))

/**
 * send_cwmp_message(serial, xml, type [, options]) — the script API page's function. Decodes the
 * envelope's RPC with the ACS's own codec and sends it through the ACS: the device is woken with
 * a connection request when it is not in a session. `type` says which RPC the envelope holds (see
 * MESSAGE_TYPES); type 0 answers {[name] = value} or nil, type 1 true or false. A failure also
 * returns err as second value. A mistake in the call itself (unknown type, XML that is not a CWMP
 * request, type and envelope that disagree) raises an error.
 *
 * SetParameterValues values sent without xsi:type (as on the page) go with the type the device
 * reported for that parameter, not xsd:string: strict CPEs reject a mismatch with fault 9006.
 */
export const sendCwmpMessage: HostFunction = {
  name: 'send_cwmp_message',
  example: `local values = send_cwmp_message(DEVICE, xml, 0)  -- xml: a SOAP envelope with a GetParameterValues
if values then for name, value in pairs(values) do print(name .. ": " .. value) end end`,
  signature: 'send_cwmp_message(serial, xml, type [, options])',
  summary:
    "Sends the envelope's RPC to the device. Type 0 GetParameterValues → {[name]=value} or nil; 1 SetParameterValues → true or false; 2–12: see the docs.",
  async call(ctx, args) {
    const fn = 'send_cwmp_message'
    const serial = argSerial(fn, args, 0)
    const xml = argString(fn, args, 1, 'XML envelope (string)')
    if (Buffer.byteLength(xml) > MAX_MESSAGE_BYTES) throw bad(fn, 1, `the envelope is over ${MAX_MESSAGE_BYTES} bytes`)
    // A numeric string counts, as for Lua's own integer arguments (luaL_checkinteger).
    const typeArg = typeof args[2] === 'string' && args[2].trim() !== '' ? Number(args[2]) : args[2]
    if (typeof typeArg !== 'number' || !Number.isInteger(typeArg))
      throw bad(fn, 2, `message type (integer 0–12) expected, got ${luaType(args, 2)}`)
    const entry = MESSAGE_TYPES.find((t) => t.type === typeArg)
    if (!entry)
      throw bad(
        fn,
        2,
        `unknown message type ${typeArg}; known: ${MESSAGE_TYPES.map((t) => `${t.type} ${t.method}`).join(', ')}`,
      )
    const options = rpcOptions(fn, optTable(fn, args, 3), 3)

    const request = decodeRequest(xml)
    if (request.method !== entry.method) {
      const right = MESSAGE_TYPES.find((t) => t.method === request.method)
      throw new ScriptCallError(
        `${fn}: the envelope holds ${request.method}, but message type ${typeArg} is ${entry.method}` +
          (right ? ` (${request.method} is type ${right.type})` : ''),
      )
    }
    if (request.method === 'SetParameterValues')
      request.parameterList = withStoredTypes(ctx.store, serial, xml, request.parameterList)

    const result = await executeRpc(ctx, serial, request, options)
    if (!result.ok) return [isRead(entry.method) ? null : false, result.error]
    return responseValues(result.response)
  },
}

function decodeRequest(xml: string): AcsRequest {
  let body
  try {
    body = decodeEnvelope(xml).body
  } catch (error) {
    if (error instanceof CwmpDecodeError)
      throw new ScriptCallError(`send_cwmp_message: the XML is not a CWMP envelope: ${error.message}`)
    throw error
  }
  if (!body) throw new ScriptCallError('send_cwmp_message: the envelope has an empty Body; put the RPC in it')
  if (body.method === 'Unknown')
    throw new ScriptCallError(`send_cwmp_message: <${body.name}> is not an RPC this ACS sends to CPEs`)
  if (!ACS_METHODS.has(body.method as AcsRequest['method']))
    throw new ScriptCallError(`send_cwmp_message: ${body.method} is not a request an ACS sends to a CPE`)
  return body as AcsRequest
}

/** Values without xsi:type take the stored parameter type (decodeEnvelope reads them as xsd:string). */
function withStoredTypes(
  store: Parameters<typeof typeFor>[0],
  serial: string,
  xml: string,
  list: ParameterValueStruct[],
): ParameterValueStruct[] {
  const root = parseXml(xml)
  const body = root.children.find((c) => c.local === 'Body')
  const structs = childrenNamed(child(child(body, 'SetParameterValues'), 'ParameterList'), 'ParameterValueStruct')
  return list.map((p, i) => {
    const value = child(structs[i], 'Value')
    const typed = value !== undefined && value.attrsNs[`{${XSI}}type`] !== undefined
    return typed ? p : { ...p, type: typeFor(store, serial, p.name, p.value) }
  })
}
