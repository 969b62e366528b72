import { lauxlib, lua, to_luastring, type LuaState } from 'fengari'
import { MAX_SOURCE_BYTES } from './limits'
import type { SyntaxCheck } from './types'
import { lineOf, withoutShebang } from './line-of'

let state: LuaState | undefined
const decoder = new TextDecoder('utf-8')

/**
 * Compiles a script without running it, for the editor's error markers: { ok: true } or the
 * first syntax error's line and message ("'=' expected near 'x'"). Only Lua's parser runs (no
 * libraries, no code), so it is safe and quick on the main thread.
 */
export function checkSyntax(source: string, name = 'script'): SyntaxCheck {
  if (typeof source !== 'string') return { ok: false, line: 1, message: 'the script is not text' }
  const bytes = Buffer.from(withoutShebang(source), 'utf8')
  if (bytes.length > MAX_SOURCE_BYTES)
    return { ok: false, line: 1, message: `the script is over ${MAX_SOURCE_BYTES / 1024} KiB` }
  state ??= lauxlib.luaL_newstate()
  const L = state
  const chunkName = `=${name.replace(/[\r\n]/g, ' ')}`
  const status = lauxlib.luaL_loadbufferx(L, bytes, bytes.length, to_luastring(chunkName), to_luastring('t'))
  const message = decoder.decode(lua.lua_tostring(L, -1) ?? new Uint8Array())
  lua.lua_settop(L, 0)
  if (status === lua.LUA_OK) return { ok: true }
  const { line } = lineOf(message, chunkName)
  const prefix = `${chunkName.slice(1)}:${line}: `
  return {
    ok: false,
    line: line ?? 1,
    message: line !== undefined && message.startsWith(prefix) ? message.slice(prefix.length) : message,
  }
}
