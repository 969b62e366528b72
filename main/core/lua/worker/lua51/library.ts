import { lauxlib, lua, to_luastring, type LuaCFunction, type LuaState } from 'fengari'
import { format51, frexp51 } from './format'

/**
 * The Lua 5.1 functions that Lua 5.3 dropped, as JS functions so that their argument errors
 * read as Lua 5.1's ("bad argument #1 to 'getn' (table expected, got no value)", '?' under
 * pcall), and the 5.3 integer functions removed, since every number is a double here.
 * `installLua51Functions` runs before the sandbox prelude (its functions are then timed by the
 * watchdog like the rest), `installLua51Library` after it (loadstring uses the sandbox's load).
 */
const checkTable = (L: LuaState, i: number) => lauxlib.luaL_checktype(L, i, lua.LUA_TTABLE)
const num = (L: LuaState, i: number) => lauxlib.luaL_checknumber(L, i)
const returns = (L: LuaState, n: number) => {
  lua.lua_pushnumber(L, n)
  return 1
}

const MATH: Record<string, LuaCFunction> = {
  pow: (L) => returns(L, Math.pow(num(L, 1), num(L, 2))),
  atan2: (L) => returns(L, Math.atan2(num(L, 1), num(L, 2))),
  log10: (L) => returns(L, Math.log10(num(L, 1))),
  ldexp: (L) => returns(L, num(L, 1) * Math.pow(2, Math.trunc(num(L, 2)))),
  cosh: (L) => returns(L, Math.cosh(num(L, 1))),
  sinh: (L) => returns(L, Math.sinh(num(L, 1))),
  tanh: (L) => returns(L, Math.tanh(num(L, 1))),
  frexp: frexp51,
}

const TABLE: Record<string, LuaCFunction> = {
  getn: (L) => {
    checkTable(L, 1)
    return returns(L, lua.lua_rawlen(L, 1))
  },
  setn: (L) => lauxlib.luaL_error(L, to_luastring("'setn' is obsolete")),
  maxn: (L) => {
    checkTable(L, 1)
    let max = 0
    lua.lua_pushnil(L)
    while (lua.lua_next(L, 1) !== 0) {
      lua.lua_pop(L, 1)
      if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) max = Math.max(max, lua.lua_tonumber(L, -1))
    }
    return returns(L, max)
  },
  foreach: (L) => {
    checkTable(L, 1)
    lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION)
    lua.lua_pushnil(L)
    while (lua.lua_next(L, 1) !== 0) {
      lua.lua_pushvalue(L, 2)
      lua.lua_pushvalue(L, -3)
      lua.lua_pushvalue(L, -3)
      lua.lua_call(L, 2, 1)
      if (lua.lua_type(L, -1) !== lua.LUA_TNIL) return 1
      lua.lua_pop(L, 2)
    }
    return 0
  },
  foreachi: (L) => {
    checkTable(L, 1)
    lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION)
    const n = lua.lua_rawlen(L, 1)
    for (let i = 1; i <= n; i++) {
      lua.lua_pushvalue(L, 2)
      lua.lua_pushnumber(L, i)
      lua.lua_rawgeti(L, 1, i)
      lua.lua_call(L, 2, 1)
      if (lua.lua_type(L, -1) !== lua.LUA_TNIL) return 1
      lua.lua_pop(L, 1)
    }
    return 0
  },
}

/** Replaces a global function with check(L) and then the original (check returns -1 to go on). */
function wrapGlobal(L: LuaState, name: string, check: LuaCFunction): void {
  lua.lua_getglobal(L, name)
  const original = lua.lua_tocfunction(L, -1)!
  lua.lua_pop(L, 1)
  lua.lua_pushcfunction(L, (L) => {
    const n = check(L)
    return n >= 0 ? n : original(L)
  })
  lua.lua_setglobal(L, name)
}

function setAll(L: LuaState, lib: string, functions: Record<string, LuaCFunction>): void {
  lua.lua_getglobal(L, lib)
  for (const [name, f] of Object.entries(functions)) {
    lua.lua_pushcfunction(L, f)
    lua.lua_setfield(L, -2, name)
  }
  lua.lua_pop(L, 1)
}

/**
 * string.gsub with Lua 5.1's replacement strings: "%x" (a % before anything but a digit or %)
 * stands for x there, where Lua 5.3 raises "invalid use of '%' in replacement string".
 */
function gsub51(gsub: LuaCFunction): LuaCFunction {
  return (L) => {
    if (lua.lua_type(L, 3) === lua.LUA_TSTRING) {
      const repl = lua.lua_tostring(L, 3)!
      const out: number[] = []
      for (let i = 0; i < repl.length; i++) {
        const c = repl[i]!
        const next = repl[i + 1]
        if (c === 0x25 && next !== undefined && next !== 0x25 && (next < 0x30 || next > 0x39)) continue
        out.push(c)
        if (c === 0x25 && next !== undefined) out.push(repl[++i]!)
      }
      lua.lua_pushstring(L, Uint8Array.from(out))
      lua.lua_replace(L, 3)
    }
    return gsub(L)
  }
}

/** find and match with Lua 5.1's init: past the end it searches from the end (5.3 fails). */
function clampInit(f: LuaCFunction): LuaCFunction {
  return (L) => {
    if (lua.lua_type(L, 3) === lua.LUA_TNUMBER && lua.lua_type(L, 1) === lua.LUA_TSTRING) {
      const len = lua.lua_rawlen(L, 1)
      if (lua.lua_tonumber(L, 3) > len + 1) {
        lua.lua_pushnumber(L, len + 1)
        lua.lua_replace(L, 3)
      }
    }
    return f(L)
  }
}

/** Before the sandbox prelude. */
export function installLua51Functions(L: LuaState): void {
  lua.lua_getglobal(L, 'string')
  lua.lua_getfield(L, -1, 'gsub')
  const gsub = lua.lua_tocfunction(L, -1)!
  lua.lua_getfield(L, -2, 'find')
  const find = lua.lua_tocfunction(L, -1)!
  lua.lua_getfield(L, -3, 'match')
  const match = lua.lua_tocfunction(L, -1)!
  lua.lua_pop(L, 4)
  setAll(L, 'math', MATH)
  setAll(L, 'table', TABLE)
  setAll(L, 'string', { format: format51, gsub: gsub51(gsub), find: clampInit(find), match: clampInit(match) })
  lua.lua_getglobal(L, 'math')
  lua.lua_getfield(L, -1, 'fmod')
  lua.lua_setfield(L, -2, 'mod')
  lua.lua_pop(L, 1)
  lua.lua_getglobal(L, 'string')
  lua.lua_getfield(L, -1, 'gmatch')
  lua.lua_setfield(L, -2, 'gfind')
  lua.lua_pop(L, 1)
  lua.lua_pushstring(L, 'Lua 5.1')
  lua.lua_setglobal(L, '_VERSION')
}

/** After the sandbox prelude: loadstring and unpack wrap what the sandbox left. */
export function installLua51Library(L: LuaState): void {
  // Integer notions of Lua 5.3 (the sandbox prelude keeps its own math.type).
  lua.lua_getglobal(L, 'math')
  for (const name of ['type', 'tointeger', 'ult', 'maxinteger', 'mininteger']) {
    lua.lua_pushnil(L)
    lua.lua_setfield(L, -2, name)
  }
  lua.lua_pop(L, 1)
  lua.lua_getglobal(L, 'load')
  lua.lua_pushcclosure(
    L,
    (L) => {
      lauxlib.luaL_checkstring(L, 1)
      const hasName = lua.lua_type(L, 2) > lua.LUA_TNIL
      lua.lua_settop(L, 2)
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1))
      lua.lua_insert(L, 1)
      // The chunk is named after its text unless named ([string "x = 1"]:1: …), as in Lua 5.1.
      if (!hasName) {
        lua.lua_pop(L, 1)
        lua.lua_pushvalue(L, 2)
      }
      lua.lua_call(L, 2, lua.LUA_MULTRET)
      return lua.lua_gettop(L)
    },
    1,
  )
  lua.lua_setglobal(L, 'loadstring')

  lua.lua_getglobal(L, 'table')
  lua.lua_getfield(L, -1, 'unpack')
  lua.lua_remove(L, -2)
  lua.lua_pushcclosure(
    L,
    (L) => {
      checkTable(L, 1)
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1))
      lua.lua_insert(L, 1)
      lua.lua_call(L, lua.lua_gettop(L) - 1, lua.LUA_MULTRET)
      return lua.lua_gettop(L)
    },
    1,
  )
  lua.lua_setglobal(L, 'unpack')

  lua.lua_pushcfunction(L, (L) => {
    lua.lua_getglobal(L, 'collectgarbage')
    lua.lua_pushstring(L, 'count')
    lua.lua_call(L, 1, 1)
    return returns(L, Math.floor(lua.lua_tonumber(L, -1)))
  })
  lua.lua_setglobal(L, 'gcinfo')

  // Every function of a script shares its globals, so getfenv answers them. setfenv would need a
  // function's _ENV upvalue, i.e. the debug library the sandbox withholds.
  lua.lua_pushcfunction(L, (L) => {
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS)
    return 1
  })
  lua.lua_setglobal(L, 'getfenv')
  lua.lua_pushcfunction(L, (L) =>
    lauxlib.luaL_error(
      L,
      to_luastring('setfenv is not available in scripts: all functions of a script share its globals'),
    ),
  )
  lua.lua_setglobal(L, 'setfenv')

  // ipairs wants a table in Lua 5.1 (5.3 takes any value).
  wrapGlobal(L, 'ipairs', (L) => {
    checkTable(L, 1)
    return -1
  })
  // coroutine.running() is nil on the main thread in Lua 5.1 (5.3: the thread and true).
  lua.lua_getglobal(L, 'coroutine')
  lua.lua_getfield(L, -1, 'running')
  lua.lua_pushcclosure(
    L,
    (L) => {
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1))
      lua.lua_call(L, 0, 2)
      if (lua.lua_toboolean(L, -1)) lua.lua_pushnil(L)
      else lua.lua_pop(L, 1)
      return 1
    },
    1,
  )
  lua.lua_setfield(L, -2, 'running')
  lua.lua_pop(L, 1)

  // Lua 5.1 names a function it cannot place (pcall(string.rep, …)) '?'; Lua 5.3 searches the
  // loaded modules for "string.rep". Scripts cannot load modules, so the table is not needed.
  lua.lua_newtable(L)
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, '_LOADED')
}
