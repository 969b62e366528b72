import { lauxlib, lua, to_luastring, type LuaCFunction, type LuaState } from 'fengari'

/**
 * string.rep and table.concat refuse up front what would take seconds and gigabytes to build.
 * JS wrappers around Fengari's own functions rather than Lua ones, so that the functions' own
 * errors still point at the script's line and name the function as the script called it.
 */
export function installSizeGuards(L: LuaState, maxString: number): void {
  const tooBig = (L: LuaState, what: string, n: number): never =>
    lauxlib.luaL_error(
      L,
      to_luastring('%s'),
      to_luastring(
        `${what} would build a string of ${n} bytes, over the ${maxString}-byte limit for one string (limits.maxStringBytes)`,
      ),
    )
  const lengthAt = (L: LuaState, i: number): number => {
    const t = lua.lua_type(L, i)
    return t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? lua.lua_tostring(L, i)!.length : -1
  }

  replace(L, 'string', 'rep', (rep) => (L) => {
    const ls = lengthAt(L, 1)
    if (ls >= 0 && lua.lua_type(L, 2) === lua.LUA_TNUMBER) {
      const n = Math.trunc(lua.lua_tonumber(L, 2))
      if (n > 0) {
        const total = n * ls + (n - 1) * Math.max(0, lengthAt(L, 3))
        if (total > maxString) tooBig(L, 'string.rep', total)
      }
    }
    return rep(L)
  })

  replace(L, 'table', 'concat', (concat) => (L) => {
    if (lua.lua_type(L, 1) === lua.LUA_TTABLE) {
      const first = lua.lua_type(L, 3) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, 3) : 1
      const last = lua.lua_type(L, 4) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, 4) : lua.lua_rawlen(L, 1)
      const lsep = Math.max(0, lengthAt(L, 2))
      let total = 0
      for (let k = first; k <= last; k++) {
        lua.lua_rawgeti(L, 1, k)
        const t = lua.lua_type(L, -1)
        if (t === lua.LUA_TSTRING) total += lua.lua_tostring(L, -1)!.length + lsep
        else if (t === lua.LUA_TNUMBER) total += 24 + lsep
        lua.lua_pop(L, 1)
        if (t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) break
        if (total > maxString) tooBig(L, 'table.concat', total)
      }
    }
    return concat(L)
  })
}

function replace(L: LuaState, lib: string, name: string, wrap: (f: LuaCFunction) => LuaCFunction): void {
  lua.lua_getglobal(L, lib)
  lua.lua_getfield(L, -1, name)
  const original = lua.lua_tocfunction(L, -1)
  lua.lua_pop(L, 1)
  if (!original) throw new Error(`${lib}.${name} is not a JS function in this Fengari build`)
  lua.lua_pushcfunction(L, wrap(original))
  lua.lua_setfield(L, -2, name)
  lua.lua_pop(L, 1)
}
