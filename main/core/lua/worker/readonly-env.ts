import { lauxlib, lua, to_luastring, type LuaState } from 'fengari'
import { jsString } from './convert'

/**
 * Wraps the global `env` (the run's environment variables, a plain table set by the driver) in a
 * read-only proxy: env.NAME reads a variable (nil when undefined), pairs(env) lists them, and any
 * assignment raises an error at the script's line.
 */
const READONLY_ENV = String.raw`
local values = ...
local setmetatable, error, tostring, next = setmetatable, error, tostring, next
return setmetatable({}, {
  __index = values,
  __newindex = function(_, k)
    error("env is read-only: env." .. tostring(k) .. " cannot be set by a script " ..
      "(change the variable in the Scripts page's Environments tab, or keep the value in a local)", 2)
  end,
  __pairs = function() return next, values, nil end,
  __len = function() return #values end,
  __metatable = false,
})
`

/** Replaces the global `env` table with its read-only proxy (an empty one when there is none). */
export function makeEnvReadOnly(L: LuaState): void {
  const code = to_luastring(READONLY_ENV)
  if (lauxlib.luaL_loadbufferx(L, code, code.length, to_luastring('=[env]'), to_luastring('t')) !== lua.LUA_OK)
    throw new Error(`the env wrapper does not compile: ${jsString(L, -1)}`)
  if (lua.lua_getglobal(L, 'env') !== lua.LUA_TTABLE) {
    lua.lua_pop(L, 1)
    lua.lua_createtable(L, 0, 0)
  }
  if (lua.lua_pcall(L, 1, 1, 0) !== lua.LUA_OK) throw new Error(`the env wrapper failed: ${jsString(L, -1)}`)
  lua.lua_setglobal(L, 'env')
}
