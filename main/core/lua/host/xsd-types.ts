import { checkXsdValue } from '../../../../common/xsd'
import type { Store } from '../../store'

/**
 * The xsd type to send a value as: the one given, else the type the device reported for the
 * parameter (stored from its GetParameterValues / Inform answers), else one guessed from the
 * Lua value (booleans → xsd:boolean, whole numbers → xsd:int / xsd:unsignedInt, anything else
 * xsd:string). Real CPEs reject mismatched types (fault 9006), which is why the stored one wins.
 */
export function typeFor(
  store: Store,
  serial: string,
  name: string,
  value: string | number | boolean,
  given?: string,
): string {
  if (given) return given.includes(':') ? given : `xsd:${given}`
  const stored = store.parameters.get(serial, name)?.type
  if (stored) return stored
  if (typeof value === 'boolean') return 'xsd:boolean'
  if (typeof value === 'number' && Number.isInteger(value)) return value < 0 ? 'xsd:int' : 'xsd:unsignedInt'
  return 'xsd:string'
}

/** Lua values as CWMP text: booleans as true/false (TR-069 accepts 1/0 too), integers without ".0". */
export function valueText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  return value
}

/** A message when the value cannot be of that type (checked before anything is sent), else null. */
export function typeProblem(type: string, value: string): string | null {
  return checkXsdValue(type, value)
}
