import { lua, type LuaState } from 'fengari'
import type { LuaErrorValue, LuaJs } from '../protocol'

// Lua values cross to the main thread as plain JS values: a table whose keys are exactly 1..n
// becomes an array, any other table an object with string keys. Functions, coroutines and
// userdata cannot cross. Depth and size are bounded so a hostile table cannot stall the worker.

const decoder = new TextDecoder('utf-8')
const encoder = new TextEncoder()

export class ConvertError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConvertError'
  }
}

export interface ConvertLimits {
  maxDepth: number
  /** Table entries in total, across the whole value. */
  maxItems: number
}

export const DEFAULT_CONVERT_LIMITS: ConvertLimits = { maxDepth: 64, maxItems: 1_000_000 }

/** The bytes of a Lua string as JS text; invalid UTF-8 becomes U+FFFD. */
export function jsString(L: LuaState, idx: number): string {
  const bytes = lua.lua_tostring(L, idx)
  return bytes ? decoder.decode(bytes) : ''
}

export function pushJsString(L: LuaState, s: string): void {
  lua.lua_pushstring(L, s.length > 64 ? encoder.encode(s) : s)
}

export function typeName(L: LuaState, idx: number): string {
  const t = lua.lua_type(L, idx)
  return t === lua.LUA_TNONE ? 'no value' : decoder.decode(lua.lua_typename(L, t))
}

export function toJs(L: LuaState, idx: number, limits: ConvertLimits = DEFAULT_CONVERT_LIMITS): LuaJs {
  return convert(L, lua.lua_absindex(L, idx), limits, { items: 0, open: new Set() }, 0)
}

function convert(
  L: LuaState,
  idx: number,
  limits: ConvertLimits,
  state: { items: number; open: Set<object> },
  depth: number,
): LuaJs {
  switch (lua.lua_type(L, idx)) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return null
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx)
    case lua.LUA_TNUMBER:
      return lua.lua_isinteger(L, idx) ? lua.lua_tointeger(L, idx) : lua.lua_tonumber(L, idx)
    case lua.LUA_TSTRING:
      return jsString(L, idx)
    case lua.LUA_TTABLE:
      return convertTable(L, idx, limits, state, depth)
    default:
      throw new ConvertError(`a ${typeName(L, idx)} cannot be passed (only nil, booleans, numbers, strings and tables)`)
  }
}

function convertTable(
  L: LuaState,
  idx: number,
  limits: ConvertLimits,
  state: { items: number; open: Set<object> },
  depth: number,
): LuaJs {
  if (depth >= limits.maxDepth) throw new ConvertError(`tables are nested deeper than ${limits.maxDepth} levels`)
  const ptr = lua.lua_topointer(L, idx)!
  if (state.open.has(ptr)) throw new ConvertError('a table that contains itself cannot be passed')
  state.open.add(ptr)
  lua.lua_checkstack(L, 4)
  const keys: (string | number)[] = []
  const values: LuaJs[] = []
  let sequence = true
  lua.lua_pushnil(L)
  while (lua.lua_next(L, idx) !== 0) {
    if (++state.items > limits.maxItems) {
      lua.lua_pop(L, 2)
      throw new ConvertError(`more than ${limits.maxItems} table entries`)
    }
    const keyType = lua.lua_type(L, -2)
    let key: string | number
    if (keyType === lua.LUA_TNUMBER) {
      // Integral, not "integer": in Lua 5.1 every number is a float.
      const n = lua.lua_tonumber(L, -2)
      key = Number.isInteger(n) ? n : String(n)
    } else if (keyType === lua.LUA_TSTRING) key = jsString(L, -2)
    else if (keyType === lua.LUA_TBOOLEAN) key = String(lua.lua_toboolean(L, -2))
    else {
      lua.lua_pop(L, 2)
      throw new ConvertError(`a table with a ${typeName(L, -2)} as a key cannot be passed`)
    }
    if (typeof key !== 'number') sequence = false
    keys.push(key)
    try {
      values.push(convert(L, lua.lua_gettop(L), limits, state, depth + 1))
    } catch (error) {
      lua.lua_pop(L, 2)
      throw error
    }
    lua.lua_pop(L, 1)
  }
  state.open.delete(ptr)
  if (sequence && keys.length > 0) {
    const array: LuaJs[] = new Array<LuaJs>(keys.length)
    let complete = true
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number
      if (k < 1 || k > keys.length) {
        complete = false
        break
      }
      array[k - 1] = values[i]!
    }
    if (complete) return array
  }
  const out: Record<string, LuaJs> = {}
  for (let i = 0; i < keys.length; i++) out[String(keys[i])] = values[i]!
  return out
}

export function isLuaError(value: unknown): value is LuaErrorValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$luaError' in value
}

/**
 * Pushes a JS value. `errorMeta` pushes the metatable of error values (see prelude) so that
 * `print(err)` and `"x" .. err` read naturally.
 */
export function pushJs(L: LuaState, value: LuaJs | undefined, errorMeta: () => void, depth = 0): void {
  if (depth > 200) throw new ConvertError('value nested too deeply')
  lua.lua_checkstack(L, 4)
  if (value === null || value === undefined) lua.lua_pushnil(L)
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value)
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) lua.lua_pushinteger(L, value)
    else lua.lua_pushnumber(L, value)
  } else if (typeof value === 'string') pushJsString(L, value)
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0)
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null || value[i] === undefined) continue
      pushJs(L, value[i], errorMeta, depth + 1)
      lua.lua_rawseti(L, -2, i + 1)
    }
  } else if (isLuaError(value)) {
    const fields = value.$luaError
    lua.lua_createtable(L, 0, Object.keys(fields).length)
    for (const [k, v] of Object.entries(fields)) {
      pushJs(L, v, errorMeta, depth + 1)
      lua.lua_setfield(L, -2, k)
    }
    errorMeta()
    lua.lua_setmetatable(L, -2)
  } else {
    const entries = Object.entries(value)
    lua.lua_createtable(L, 0, entries.length)
    for (const [k, v] of entries) {
      if (v === null || v === undefined) continue
      pushJs(L, v, errorMeta, depth + 1)
      lua.lua_setfield(L, -2, k)
    }
  }
}
