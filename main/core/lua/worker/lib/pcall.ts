import { lua, type LuaCFunction, type LuaState } from 'fengari'

/** Bit 0 of a CallInfo's callstatus: the 'allowhook' value to restore when a pcall recovers. */
const CIST_OAH = 1

/**
 * pcall and xpcall, fixed. Fengari 0.1.5's lua_pcallk clears but never sets the saved
 * 'allowhook' bit (C Lua's setoah), so the first error that a pcall catches inside a coroutine
 * turns the instruction hook off for the rest of the run, and with it the CPU limit. Setting the
 * bit before the call gives C Lua's behaviour; everything else is Fengari's own pcall.
 */
export function installFixedPcall(L: LuaState): void {
  for (const name of ['pcall', 'xpcall']) {
    lua.lua_getglobal(L, name)
    const original = lua.lua_tocfunction(L, -1)
    lua.lua_pop(L, 1)
    if (!original) throw new Error(`${name} is not a JS function in this Fengari build`)
    const fixed: LuaCFunction = (L) => {
      const state = L as unknown as { allowhook: unknown; ci: { callstatus: number } }
      if (state.allowhook) state.ci.callstatus |= CIST_OAH
      return original(L)
    }
    lua.lua_pushcfunction(L, fixed)
    lua.lua_setglobal(L, name)
  }
}
