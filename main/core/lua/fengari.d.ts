// The part of Fengari's API (Lua 5.3 in JavaScript) that Bench ACS uses. Fengari ships no types;
// names and semantics follow the Lua 5.3 C API, with Lua strings as Uint8Array ("luastring").
declare module 'fengari' {
  export type LuaString = Uint8Array
  /** An opaque lua_State (a thread). */
  export interface LuaState {
    readonly __luaState: unique symbol
  }
  export type LuaCFunction = (L: LuaState) => number
  export type LuaHook = (L: LuaState, ar: unknown) => void

  export const lua: {
    LUA_OK: 0
    LUA_YIELD: 1
    LUA_ERRRUN: 2
    LUA_ERRSYNTAX: 3
    LUA_ERRMEM: 4
    LUA_ERRGCMM: 5
    LUA_ERRERR: 6
    LUA_MULTRET: -1
    LUA_REGISTRYINDEX: number
    LUA_RIDX_GLOBALS: number
    LUA_TNONE: -1
    LUA_TNIL: 0
    LUA_TBOOLEAN: 1
    LUA_TLIGHTUSERDATA: 2
    LUA_TNUMBER: 3
    LUA_TSTRING: 4
    LUA_TTABLE: 5
    LUA_TFUNCTION: 6
    LUA_TUSERDATA: 7
    LUA_TTHREAD: 8
    LUA_MASKCOUNT: number
    lua_absindex(L: LuaState, idx: number): number
    lua_atnativeerror(L: LuaState, f: LuaCFunction): void
    lua_call(L: LuaState, nargs: number, nresults: number): void
    lua_checkstack(L: LuaState, n: number): boolean
    lua_concat(L: LuaState, n: number): void
    lua_createtable(L: LuaState, narr: number, nrec: number): void
    lua_getfield(L: LuaState, idx: number, k: LuaString | string): number
    lua_getglobal(L: LuaState, name: LuaString | string): number
    lua_gettop(L: LuaState): number
    lua_insert(L: LuaState, idx: number): void
    lua_isinteger(L: LuaState, idx: number): boolean
    lua_newtable(L: LuaState): void
    lua_newthread(L: LuaState): LuaState
    lua_next(L: LuaState, idx: number): number
    lua_pcall(L: LuaState, nargs: number, nresults: number, errfunc: number): number
    lua_pop(L: LuaState, n: number): void
    lua_pushboolean(L: LuaState, b: boolean): void
    lua_pushcfunction(L: LuaState, f: LuaCFunction): void
    lua_pushinteger(L: LuaState, n: number): void
    lua_pushjsfunction(L: LuaState, f: LuaCFunction): void
    lua_pushlightuserdata(L: LuaState, p: unknown): void
    lua_pushnil(L: LuaState): void
    lua_pushnumber(L: LuaState, n: number): void
    lua_pushstring(L: LuaState, s: LuaString | string): LuaString
    lua_pushthread(L: LuaState): boolean
    lua_pushvalue(L: LuaState, idx: number): void
    lua_pushcclosure(L: LuaState, f: LuaCFunction, n: number): void
    lua_upvalueindex(i: number): number
    lua_rawequal(L: LuaState, a: number, b: number): boolean
    lua_rawgeti(L: LuaState, idx: number, n: number): number
    lua_rawlen(L: LuaState, idx: number): number
    lua_rawseti(L: LuaState, idx: number, n: number): void
    lua_rawset(L: LuaState, idx: number): void
    lua_remove(L: LuaState, idx: number): void
    lua_replace(L: LuaState, idx: number): void
    lua_resume(L: LuaState, from: LuaState | null, nargs: number): number
    lua_setfield(L: LuaState, idx: number, k: LuaString | string): void
    lua_setglobal(L: LuaState, name: LuaString | string): void
    lua_sethook(L: LuaState, f: LuaHook | null, mask: number, count: number): void
    lua_setmetatable(L: LuaState, idx: number): void
    lua_settop(L: LuaState, idx: number): void
    lua_toboolean(L: LuaState, idx: number): boolean
    lua_tointeger(L: LuaState, idx: number): number
    lua_tonumber(L: LuaState, idx: number): number
    lua_tostring(L: LuaState, idx: number): LuaString | null
    lua_tocfunction(L: LuaState, idx: number): LuaCFunction | null
    lua_topointer(L: LuaState, idx: number): object | null
    lua_touserdata(L: LuaState, idx: number): unknown
    lua_typename(L: LuaState, t: number): LuaString
    lua_type(L: LuaState, idx: number): number
    lua_xmove(from: LuaState, to: LuaState, n: number): void
  }

  export const lauxlib: {
    LUA_NOREF: number
    luaL_argerror(L: LuaState, arg: number, extramsg: LuaString): never
    luaL_checkany(L: LuaState, arg: number): void
    luaL_checknumber(L: LuaState, arg: number): number
    luaL_checkinteger(L: LuaState, arg: number): number
    /** Index in `list` of the string argument (or `def` when absent); raises "invalid option" otherwise. */
    luaL_checkoption(L: LuaState, arg: number, def: LuaString | null, list: LuaString[]): number
    luaL_checkstring(L: LuaState, arg: number): LuaString
    luaL_checktype(L: LuaState, arg: number, t: number): void
    luaL_error(L: LuaState, fmt: LuaString, ...args: unknown[]): never
    luaL_loadbufferx(L: LuaState, buff: LuaString, size: number | null, name: LuaString, mode: LuaString | null): number
    luaL_newstate(): LuaState
    luaL_optinteger(L: LuaState, arg: number, def: number): number
    luaL_ref(L: LuaState, t: number): number
    luaL_requiref(L: LuaState, modname: LuaString, openf: LuaCFunction, glb: number): void
    luaL_tolstring(L: LuaState, idx: number): LuaString
    luaL_where(L: LuaState, level: number): void
    luaL_traceback(L: LuaState, L1: LuaState, msg: LuaString | null, level: number): void
  }

  export const lualib: {
    luaopen_base: LuaCFunction
    luaopen_coroutine: LuaCFunction
    luaopen_math: LuaCFunction
    luaopen_os: LuaCFunction
    luaopen_string: LuaCFunction
    luaopen_table: LuaCFunction
    luaopen_utf8: LuaCFunction
  }

  export function to_luastring(s: string, cache?: boolean): LuaString
  export function to_jsstring(s: LuaString, from?: number, to?: number, replacementChar?: boolean): string
}
