import { lauxlib, lua, to_luastring, type LuaCFunction, type LuaState } from 'fengari'
import { ConvertError, jsString, pushJs, pushJsString, toJs } from '../convert'

/**
 * json.encode(value [, pretty]) → string, and json.decode(text) → value or nil, err.
 *
 * Tables whose keys are exactly 1..n encode as arrays, other tables (including the empty one) as
 * objects. JSON null decodes to nil, so it disappears from objects and leaves a hole in arrays.
 * encode raises on values JSON cannot hold (functions, cycles); its result is bounded by
 * limits.maxStringBytes; decode reads at most that many bytes.
 */
export function installJson(L: LuaState, maxStringBytes: number, errorMeta: () => void): void {
  const encode: LuaCFunction = (L) => {
    lauxlib.luaL_checkany(L, 1)
    const pretty = lua.lua_toboolean(L, 2)
    let text: string
    try {
      text = JSON.stringify(toJs(L, 1), null, pretty ? 2 : undefined) ?? 'null'
    } catch (error) {
      const why = error instanceof ConvertError ? error.message : String(error)
      return lauxlib.luaL_error(L, to_luastring(`json.encode: ${why}`))
    }
    if (text.length > maxStringBytes)
      return lauxlib.luaL_error(
        L,
        to_luastring(`json.encode: the result is over the ${maxStringBytes}-byte limit for one string`),
      )
    pushJsString(L, text)
    return 1
  }
  const decode: LuaCFunction = (L) => {
    lauxlib.luaL_checkstring(L, 1)
    if (lua.lua_rawlen(L, 1) > maxStringBytes) {
      lua.lua_pushnil(L)
      lua.lua_pushstring(L, `json.decode: the text is over the ${maxStringBytes}-byte limit for one string`)
      return 2
    }
    let value: unknown
    try {
      value = JSON.parse(jsString(L, 1))
    } catch (error) {
      lua.lua_pushnil(L)
      lua.lua_pushstring(L, `json.decode: ${(error as Error).message}`)
      return 2
    }
    try {
      pushJs(L, value as never, errorMeta)
    } catch (error) {
      lua.lua_pushnil(L)
      lua.lua_pushstring(L, `json.decode: ${(error as Error).message}`)
      return 2
    }
    return 1
  }
  lua.lua_createtable(L, 0, 2)
  lua.lua_pushcfunction(L, encode)
  lua.lua_setfield(L, -2, 'encode')
  lua.lua_pushcfunction(L, decode)
  lua.lua_setfield(L, -2, 'decode')
  lua.lua_setglobal(L, 'json')
}
