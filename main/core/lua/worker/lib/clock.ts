import { lua, type LuaCFunction } from 'fengari'

/**
 * os.clock(): seconds of CPU the run has used running Lua (time spent waiting on devices, timers
 * and events is not counted), as standard Lua's os.clock measures the program's CPU time.
 */
export function clockFunction(cpuSeconds: () => number): LuaCFunction {
  return (L) => {
    lua.lua_pushnumber(L, cpuSeconds())
    return 1
  }
}
