import { lauxlib, lua, lualib, to_luastring, type LuaCFunction, type LuaState } from 'fengari'
import type { LuaDialect } from '../dialect'
import type { LogLevel } from '../protocol'
import { jsString } from './convert'
import { clockFunction } from './lib/clock'
import { collectGarbageFunction } from './lib/collectgarbage'
import { installJson } from './lib/json'
import { logFunction } from './lib/log'
import { installFixedPcall } from './lib/pcall'
import { printFunction } from './lib/print'
import { installSizeGuards } from './lib/size-guards'
import { installLua51Functions, installLua51Library } from './lua51/library'
import { PRELUDE, PRELUDE_CHUNK_NAME } from './prelude'

export interface SandboxOptions {
  /** 5.1: Lua 5.1's library on top of 5.3's (the numbers are the driver's: lua51/numbers.ts). */
  dialect: LuaDialect
  /** Names the prelude turns into yielding stubs (answered by the driver). */
  hostFunctions: string[]
  maxStringBytes: number
  /** L is the thread that called print, so a limit can raise the error there. */
  print(L: LuaState, text: string): void
  log(L: LuaState, level: LogLevel, text: string): void
  cpuSeconds(): number
  /** Turns a JS exception thrown inside a Lua call into the Lua error message. */
  nativeError(error: unknown): string
  /** Called as each library function starts: the watchdog's heartbeat between hook calls. */
  onLibraryCall?(): void
}

export interface Sandbox {
  L: LuaState
  /** Whether the value at idx on thread co is the host-call sentinel. */
  isHost(co: LuaState, idx: number): boolean
  /** Pushes the sentinel that makes a host stub raise the message that follows it. */
  pushRaise(co: LuaState): void
  /** Pushes the metatable of error values handed to Lua. */
  pushErrorMeta(co: LuaState): void
  /** Tells the prelude which coroutine runs the script. */
  setMain(coIndex: number): void
}

/** Standard libraries a script gets; everything else (io, package, debug) is never opened. */
const LIBRARIES: [string, LuaCFunction][] = [
  ['_G', lualib.luaopen_base],
  ['coroutine', lualib.luaopen_coroutine],
  ['table', lualib.luaopen_table],
  ['string', lualib.luaopen_string],
  ['math', lualib.luaopen_math],
  ['utf8', lualib.luaopen_utf8],
  // Opened so the prelude can keep os.time and os.date; it replaces the table with just those
  // and os.clock.
  ['os', lualib.luaopen_os],
]

export function createSandbox(options: SandboxOptions): Sandbox {
  const L = lauxlib.luaL_newstate()
  lua.lua_atnativeerror(L, (L) => {
    const error = lua.lua_touserdata(L, -1)
    // Where the script was when it happened ("name:12: "), as for errors raised in Lua.
    lauxlib.luaL_where(L, 1)
    lua.lua_pushstring(L, options.nativeError(error))
    lua.lua_concat(L, 2)
    return 1
  })
  for (const [name, open] of LIBRARIES) {
    lauxlib.luaL_requiref(L, to_luastring(name), open, 1)
    lua.lua_pop(L, 1)
  }
  installFixedPcall(L)
  lua.lua_pushcfunction(L, printFunction(options.print))
  lua.lua_setglobal(L, 'print')
  lua.lua_pushcfunction(L, logFunction(options.log))
  lua.lua_setglobal(L, 'log')
  lua.lua_pushcfunction(L, collectGarbageFunction())
  lua.lua_setglobal(L, 'collectgarbage')
  lua.lua_getglobal(L, 'os')
  lua.lua_pushcfunction(L, clockFunction(options.cpuSeconds))
  lua.lua_setfield(L, -2, 'clock')
  lua.lua_pop(L, 1)

  const ref = () => lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX)
  lua.lua_newtable(L)
  const hostRef = ref()
  lua.lua_newtable(L)
  const raiseRef = ref()
  lua.lua_newtable(L)
  const errorMetaRef = ref()
  const pushRef = (co: LuaState, r: number) => lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, r)

  installJson(L, options.maxStringBytes, () => pushRef(L, errorMetaRef))
  installSizeGuards(L, options.maxStringBytes)
  if (options.dialect === '5.1') installLua51Functions(L)
  // Before the prelude captures them (load).
  if (options.onLibraryCall) beatOnLibraryCalls(L, options.onLibraryCall)

  const status = lauxlib.luaL_loadbufferx(
    L,
    to_luastring(PRELUDE),
    null,
    to_luastring(PRELUDE_CHUNK_NAME),
    to_luastring('t'),
  )
  if (status !== lua.LUA_OK) throw new Error(`the sandbox prelude does not compile: ${jsString(L, -1)}`)
  pushRef(L, hostRef)
  pushRef(L, raiseRef)
  lua.lua_createtable(L, options.hostFunctions.length, 0)
  options.hostFunctions.forEach((name, i) => {
    lua.lua_pushstring(L, name)
    lua.lua_rawseti(L, -2, i + 1)
  })
  pushRef(L, errorMetaRef)
  if (lua.lua_pcall(L, 4, 1, 0) !== lua.LUA_OK) throw new Error(`the sandbox prelude failed: ${jsString(L, -1)}`)
  const setMainRef = ref()
  if (options.dialect === '5.1') installLua51Library(L)

  return {
    L,
    isHost(co, idx) {
      const abs = lua.lua_absindex(co, idx)
      pushRef(co, hostRef)
      const same = lua.lua_rawequal(co, abs, -1)
      lua.lua_pop(co, 1)
      return same
    },
    pushRaise: (co) => pushRef(co, raiseRef),
    pushErrorMeta: (co) => pushRef(co, errorMetaRef),
    setMain(coIndex) {
      const abs = lua.lua_absindex(L, coIndex)
      pushRef(L, setMainRef)
      lua.lua_pushvalue(L, abs)
      lua.lua_call(L, 1, 0)
    },
  }
}

/** Libraries whose functions can take long on big data (a 16 MiB string, a big table). */
const TIMED_LIBRARIES = ['string', 'table', 'utf8', 'json']
const TIMED_GLOBALS = ['load', 'tostring', 'tonumber', 'select']

/**
 * The count hook runs every HOOK_EVERY instructions, and a loop of a few instructions around a
 * slow library call (string.upper of a megabyte) can go seconds between hooks: to the watchdog
 * that would look like one call that never returns. A beat as each library function starts
 * keeps "one call ran for more than libraryCallMs" true. These functions carry no upvalues.
 */
function beatOnLibraryCalls(L: LuaState, beat: () => void): void {
  const wrap =
    (f: LuaCFunction): LuaCFunction =>
    (L) => {
      beat()
      return f(L)
    }
  for (const name of TIMED_LIBRARIES) {
    lua.lua_getglobal(L, name)
    const found: [Uint8Array, LuaCFunction][] = []
    lua.lua_pushnil(L)
    while (lua.lua_next(L, -2) !== 0) {
      const f = lua.lua_type(L, -2) === lua.LUA_TSTRING ? lua.lua_tocfunction(L, -1) : null
      if (f) found.push([lua.lua_tostring(L, -2)!, f])
      lua.lua_pop(L, 1)
    }
    for (const [key, f] of found) {
      lua.lua_pushcfunction(L, wrap(f))
      lua.lua_setfield(L, -2, key)
    }
    lua.lua_pop(L, 1)
  }
  for (const name of TIMED_GLOBALS) {
    lua.lua_getglobal(L, name)
    const f = lua.lua_tocfunction(L, -1)
    lua.lua_pop(L, 1)
    if (!f) continue
    lua.lua_pushcfunction(L, wrap(f))
    lua.lua_setglobal(L, name)
  }
}
