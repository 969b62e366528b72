import { lauxlib, lua, to_luastring, type LuaCFunction } from 'fengari'
import { formatFloat, formatInteger, pad, type Spec } from './printf'

const decoder = new TextDecoder('latin1')
const FLAGS = '-+ #0'

/**
 * string.format as Lua 5.1's (lstrlib.c, str_format): numbers through C's printf rules (see
 * printf.ts), %d and the other integer conversions truncate a non-integral number as 5.1's
 * cast does, %q quotes as 5.1 does. %s converts any value with tostring (as gopher-lua and Lua
 * 5.3 do; lua5.1 refuses tables and nil there), so scripts that print a nil keep working.
 * Strings stay bytes: the format and %s arguments are handled as Latin-1 (one char per byte).
 */
export const format51: LuaCFunction = (L) => {
  const top = lua.lua_gettop(L)
  const fmt = decoder.decode(lauxlib.luaL_checkstring(L, 1))
  let arg = 1
  let out = ''
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!
    if (c !== '%') {
      out += c
      continue
    }
    if (fmt[i + 1] === '%') {
      out += '%'
      i++
      continue
    }
    if (++arg > top) lauxlib.luaL_argerror(L, arg, to_luastring('no value'))
    let j = i + 1
    while (j < fmt.length && FLAGS.includes(fmt[j]!)) j++
    if (j - (i + 1) > FLAGS.length) lauxlib.luaL_error(L, to_luastring('invalid format (repeated flags)'))
    const flags = fmt.slice(i + 1, j)
    const width = digits(fmt, j)
    j += width.length
    let precision: string | undefined
    if (fmt[j] === '.') {
      precision = digits(fmt, j + 1)
      j += 1 + precision.length
    }
    if (width.length > 2 || (precision?.length ?? 0) > 2)
      lauxlib.luaL_error(L, to_luastring('invalid format (width or precision too long)'))
    const spec: Spec = {
      flags,
      ...(width ? { width: Number(width) } : {}),
      ...(precision !== undefined ? { precision: Number(precision || '0') } : {}),
    }
    const conv = fmt[j] ?? ''
    i = j
    switch (conv) {
      case 'c':
        out += pad('', String.fromCharCode(Math.trunc(lauxlib.luaL_checknumber(L, arg)) & 0xff), spec, false)
        break
      case 'd':
      case 'i':
      case 'o':
      case 'u':
      case 'x':
      case 'X':
        out += formatInteger(conv, lauxlib.luaL_checknumber(L, arg), spec)
        break
      case 'e':
      case 'E':
      case 'f':
      case 'g':
      case 'G':
        out += formatFloat(conv, lauxlib.luaL_checknumber(L, arg), spec)
        break
      case 'q':
        out += quoted(decoder.decode(lauxlib.luaL_checkstring(L, arg)))
        break
      case 's': {
        let s = decoder.decode(lauxlib.luaL_tolstring(L, arg))
        lua.lua_pop(L, 1)
        if (spec.precision !== undefined) s = s.slice(0, spec.precision)
        out += pad('', s, spec, false)
        break
      }
      default:
        lauxlib.luaL_error(L, to_luastring('%s'), to_luastring(`invalid option '%${conv}' to 'format'`))
    }
  }
  lua.lua_pushstring(L, latin1Bytes(out))
  return 1
}

function digits(s: string, from: number): string {
  let j = from
  while (j < s.length && s[j]! >= '0' && s[j]! <= '9') j++
  return s.slice(from, j)
}

/** %q as Lua 5.1: quotes, backslashes and newlines escaped, \r as \r, a zero byte as \000. */
function quoted(s: string): string {
  let out = '"'
  for (const ch of s) {
    if (ch === '"' || ch === '\\' || ch === '\n') out += '\\' + ch
    else if (ch === '\r') out += '\\r'
    else if (ch === '\0') out += '\\000'
    else out += ch
  }
  return out + '"'
}

function latin1Bytes(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i)
  return bytes
}

/** math.frexp(x): m, e with x = m * 2^e and 0.5 <= |m| < 1 (Lua 5.1's math library). */
export const frexp51: LuaCFunction = (L) => {
  const x = lauxlib.luaL_checknumber(L, 1)
  let m = x
  let e = 0
  if (x !== 0 && Number.isFinite(x)) {
    e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x)))) + 1
    m = x * Math.pow(2, -e)
    // log2 can be off by one next to a power of two; the loops settle it.
    while (Math.abs(m) < 0.5) {
      m *= 2
      e--
    }
    while (Math.abs(m) >= 1) {
      m /= 2
      e++
    }
  }
  lua.lua_pushnumber(L, m)
  lua.lua_pushnumber(L, e)
  return 2
}
