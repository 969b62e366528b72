import { getHeapStatistics } from 'node:v8'
import { lauxlib, lua, to_luastring, type LuaCFunction } from 'fengari'

const OPTIONS = ['collect', 'stop', 'restart', 'count', 'step', 'setpause', 'setstepmul', 'isrunning'] as const
const OPTION_STRINGS = OPTIONS.map((o) => to_luastring(o))
const DEFAULT_OPTION = to_luastring('collect')

/**
 * collectgarbage([opt [, arg]]) as in Lua 5.3. Fengari's own raises "lua_gc not implemented",
 * which breaks scripts written for C Lua or gopher-lua (Oktopus) that report or tidy their memory.
 * The run's Lua state is all that lives in its worker, so the worker's heap is the script's
 * memory: "count" answers it in KiB, the figure limits.memoryMb caps. V8 collects by itself;
 * "collect" and "step" collect at once where the runtime exposes a collector (node --expose-gc),
 * else they return at once. "stop" cannot stop V8's collector and, like the tuning options,
 * answers what Lua 5.3 answers.
 */
export function collectGarbageFunction(): LuaCFunction {
  let pause = 200
  let stepmul = 200
  return (L) => {
    const option = OPTIONS[lauxlib.luaL_checkoption(L, 1, DEFAULT_OPTION, OPTION_STRINGS)]
    const arg = lauxlib.luaL_optinteger(L, 2, 0)
    const collect = (globalThis as { gc?: () => void }).gc
    switch (option) {
      case 'count': {
        const heap = getHeapStatistics()
        lua.lua_pushnumber(L, (heap.used_heap_size + heap.external_memory) / 1024)
        return 1
      }
      case 'collect':
        collect?.()
        lua.lua_pushinteger(L, 0)
        return 1
      case 'step':
        collect?.()
        lua.lua_pushboolean(L, true)
        return 1
      case 'isrunning':
        lua.lua_pushboolean(L, true)
        return 1
      case 'setpause': {
        lua.lua_pushinteger(L, pause)
        pause = arg
        return 1
      }
      case 'setstepmul': {
        lua.lua_pushinteger(L, stepmul)
        stepmul = arg
        return 1
      }
      default:
        lua.lua_pushinteger(L, 0)
        return 1
    }
  }
}
