// The few Fengari 0.1.5 internals that Lua 5.1 semantics replace (see lua51/numbers.ts). Other
// Fengari modules reach these through the module object (`lobject.luaO_tostring(…)`), so an
// assignment to the exported property changes what they call.
declare module 'fengari/src/lobject.js' {
  import type { LuaState, LuaString } from 'fengari'
  export interface TValue {
    type: number
    value: unknown
    setfltvalue(n: number): void
    setsvalue(s: unknown): void
    ttisinteger(): boolean
    ttisfloat(): boolean
    ttisnumber(): boolean
    ttisstring(): boolean
    svalue(): LuaString
  }
  const lobject: {
    TValue: { prototype: TValue; new (): TValue }
    luaO_tostring(L: LuaState, obj: TValue): void
    luaO_pushvfstring(L: LuaState, fmt: LuaString, argp: unknown[]): LuaString
    luaO_pushfstring(L: LuaState, fmt: LuaString, ...argp: unknown[]): LuaString
    luaO_str2num(s: LuaString, o: TValue): number
  }
  export default lobject
}

declare module 'fengari/src/lvm.js' {
  import type { TValue } from 'fengari/src/lobject.js'
  const lvm: {
    /** Used by lua_tointeger(x): the integer an argument stands for, or false. */
    tointeger(o: TValue): number | false
  }
  export default lvm
}

declare module 'fengari/src/lstring.js' {
  import type { LuaState, LuaString } from 'fengari'
  const lstring: { luaS_bless(L: LuaState, s: LuaString): unknown }
  export default lstring
}
