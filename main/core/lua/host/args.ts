import { isLuaErrorValue } from './errors'
import type { LuaJs } from '../protocol'
import { ScriptCallError } from '../runner'

// Argument checks with the wording of Lua's own ("bad argument #1 to 'get_device' (string
// expected, got nil)"), raised at the script's call site.

export function luaType(args: LuaJs[], i: number): string {
  if (i >= args.length) return 'no value'
  const v = args[i]
  if (v === null || v === undefined) return 'nil'
  if (typeof v === 'object') return 'table'
  return typeof v
}

export function bad(fn: string, i: number, message: string): ScriptCallError {
  return new ScriptCallError(`bad argument #${i + 1} to '${fn}' (${message})`)
}

export function argString(fn: string, args: LuaJs[], i: number, what = 'string'): string {
  const v = args[i]
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  throw bad(fn, i, `${what} expected, got ${luaType(args, i)}`)
}

export function argSerial(fn: string, args: LuaJs[], i: number): string {
  const serial = argString(fn, args, i, 'serial number (string)')
  if (serial.trim() === '') throw bad(fn, i, 'serial number is empty')
  return serial
}

export function optString(fn: string, args: LuaJs[], i: number): string | undefined {
  const v = args[i]
  if (v === null || v === undefined) return undefined
  return argString(fn, args, i)
}

/** A string, or a table of strings (a sequence). */
export function argStringList(fn: string, args: LuaJs[], i: number, what = 'parameter names'): string[] {
  const v = args[i]
  if (typeof v === 'string') return [v]
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return []
  throw bad(fn, i, `${what} expected as a string or a list of strings, got ${luaType(args, i)}`)
}

export function argTable(fn: string, args: LuaJs[], i: number, what = 'table'): Record<string, LuaJs> {
  const v = args[i]
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, k) => [String(k + 1), x]))
  if (v && typeof v === 'object' && !isLuaErrorValue(v)) return v as Record<string, LuaJs>
  throw bad(fn, i, `${what} expected, got ${luaType(args, i)}`)
}

export function optTable(fn: string, args: LuaJs[], i: number, what = 'options table'): Record<string, LuaJs> {
  const v = args[i]
  if (v === null || v === undefined) return {}
  return argTable(fn, args, i, what)
}

export function optBoolean(fn: string, args: LuaJs[], i: number, fallback: boolean): boolean {
  const v = args[i]
  if (v === null || v === undefined) return fallback
  if (typeof v === 'boolean') return v
  throw bad(fn, i, `boolean expected, got ${luaType(args, i)}`)
}

/** A field of an options table: field name in the error, e.g. "options.timeout_ms". */
export function field<T extends 'string' | 'number' | 'boolean'>(
  fn: string,
  table: Record<string, LuaJs>,
  name: string,
  type: T,
  argIndex: number,
): (T extends 'string' ? string : T extends 'number' ? number : boolean) | undefined {
  const v = table[name]
  if (v === null || v === undefined) return undefined
  if (type === 'string' && typeof v === 'number') return String(v) as never
  if (typeof v !== type)
    throw bad(fn, argIndex, `field '${name}' must be a ${type}, got ${typeof v === 'object' ? 'table' : typeof v}`)
  return v as never
}
