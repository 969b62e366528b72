import { lauxlib, lua, type LuaCFunction, type LuaState } from 'fengari'

const decoder = new TextDecoder('utf-8')

/**
 * print(...): one line of the run's output, arguments converted with tostring (honouring
 * __tostring) and separated by tabs, as in standard Lua. Counts toward limits.outputBytes.
 */
export function printFunction(write: (L: LuaState, text: string) => void): LuaCFunction {
  return (L) => {
    const n = lua.lua_gettop(L)
    const parts: string[] = []
    for (let i = 1; i <= n; i++) {
      parts.push(decoder.decode(lauxlib.luaL_tolstring(L, i)))
      lua.lua_pop(L, 1)
    }
    write(L, parts.join('\t'))
    return 0
  }
}
