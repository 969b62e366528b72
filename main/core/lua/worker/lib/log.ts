import { lauxlib, lua, type LuaCFunction, type LuaState } from 'fengari'
import type { LogLevel } from '../../protocol'

const decoder = new TextDecoder('utf-8')
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/**
 * log(level, ...): a line in the run's output marked with its level, also written to the app's
 * event log (warn and error stand out there). level is "debug", "info", "warn" or "error";
 * log("text") logs at info. Counts toward limits.outputBytes like print.
 */
export function logFunction(write: (L: LuaState, level: LogLevel, text: string) => void): LuaCFunction {
  return (L) => {
    const n = lua.lua_gettop(L)
    let level: LogLevel = 'info'
    let first = 1
    if (n >= 1 && lua.lua_type(L, 1) === lua.LUA_TSTRING) {
      const candidate = decoder.decode(lua.lua_tostring(L, 1)!).toLowerCase()
      if ((LEVELS as readonly string[]).includes(candidate)) {
        level = candidate as LogLevel
        first = 2
      }
    }
    const parts: string[] = []
    for (let i = first; i <= n; i++) {
      parts.push(decoder.decode(lauxlib.luaL_tolstring(L, i)))
      lua.lua_pop(L, 1)
    }
    write(L, level, parts.join(' '))
    return 0
  }
}
