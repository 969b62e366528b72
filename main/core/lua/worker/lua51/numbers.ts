import { to_luastring, type LuaState, type LuaString } from 'fengari'
import lobject from 'fengari/src/lobject.js'
import lstring from 'fengari/src/lstring.js'
import lvm from 'fengari/src/lvm.js'
import { numberToString51 } from './printf'

/**
 * Lua 5.1's numbers in Fengari's Lua 5.3 VM. Lua 5.1 has one number type, the double; Fengari
 * has 32-bit integers besides floats (so `os.time() * 1000` wraps around there), prints integral
 * floats as "25.0" and formats with JavaScript rather than "%.14g".
 *
 * Fengari's VM asks every number `ttisinteger()` before integer arithmetic, integer for loops and
 * integer formatting. Answering false for every value (and `ttisfloat()` true for every number)
 * makes all arithmetic double arithmetic, exactly Lua 5.1's, while integer-tagged values (from
 * literals, `#`, library results) keep working as the doubles they are. Number-to-string goes
 * through the three entry points other Fengari modules call through the module object
 * (`lobject.luaO_tostring` for `..` and lua_tolstring, `lobject.luaO_pushvfstring` /
 * `luaO_pushfstring` for tostring, print and error messages), which get "%.14g" here. Library
 * functions take integer arguments through `lvm.tointeger`, which truncates as Lua 5.1's cast
 * does instead of refusing 1.5.
 *
 * These are assignments to Fengari's shared prototypes and module objects, so they change every
 * Lua state in the thread: a script run has its worker thread to itself, and the worker applies
 * them before it builds the state when the script is in the 5.1 dialect (the default).
 */
export function useLua51Numbers(): void {
  const proto = lobject.TValue.prototype
  if ((proto as { lua51?: boolean }).lua51) return
  ;(proto as { lua51?: boolean }).lua51 = true
  proto.ttisinteger = () => false
  proto.ttisfloat = proto.ttisnumber

  lobject.luaO_tostring = (L, obj) => {
    obj.setsvalue(lstring.luaS_bless(L, to_luastring(numberToString51(obj.value as number))))
  }

  const pushvfstring = lobject.luaO_pushvfstring
  const pushvfstring51 = (L: LuaState, fmt: LuaString, argp: unknown[]): LuaString => {
    const rewritten = rewrite(fmt, argp)
    return rewritten ? pushvfstring(L, rewritten.fmt, rewritten.argp) : pushvfstring(L, fmt, argp)
  }
  lobject.luaO_pushvfstring = pushvfstring51
  lobject.luaO_pushfstring = (L, fmt, ...argp) => pushvfstring51(L, fmt, argp)

  const str2num = lobject.luaO_str2num
  lobject.luaO_str2num = (s, o) => {
    const size = str2num(s, o)
    // Fengari reads hex integers into 32 bits (0xFFFFFFFFFF wraps); Lua 5.1 reads them whole.
    if (size !== 0 && isHexInteger(s)) o.setfltvalue(hexValue(s))
    return size
  }

  lvm.tointeger = (o) => {
    if (!o.ttisnumber()) {
      // A numeric string: "3.7" stands for 3 as 3.7 does.
      if (!o.ttisstring()) return false
      const text = o.svalue()
      const v = new lobject.TValue()
      if (lobject.luaO_str2num(text, v) !== text.length + 1) return false
      o = v
    }
    return toInt(o.value as number)
  }
}

/** (long)d as Lua 5.1 does it, within the 32 bits that Fengari's integers hold. */
function toInt(n: number): number {
  if (n !== n) return -0x80000000
  return Math.max(-0x80000000, Math.min(0x7fffffff, Math.trunc(n)))
}

const PERCENT = 37

/**
 * Turns the integer and float conversions of a lua_pushfstring format (%d, %I, %f) into %s of
 * the text Lua 5.1 shows, and the wording of type errors into Lua 5.1's:
 * "attempt to index a nil value (local 't')" becomes "attempt to index local 't' (a nil value)".
 */
function rewrite(fmt: LuaString, argp: unknown[]): { fmt: LuaString; argp: unknown[] } | undefined {
  let changed = false
  let a = 0
  const out: number[] = []
  const args = argp.slice()
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!
    out.push(c)
    if (c !== PERCENT || i + 1 >= fmt.length) continue
    const spec = fmt[++i]!
    if (spec === PERCENT) {
      out.push(spec)
      continue
    }
    if (spec === 0x64 /* d */ || spec === 0x49 /* I */ || spec === 0x66 /* f */) {
      const n = Number(args[a])
      args[a] = to_luastring(spec === 0x66 || !Number.isInteger(n) ? numberToString51(n) : String(n))
      out.push(0x73 /* s */)
      changed = true
    } else out.push(spec)
    a++
  }
  const typeError = typeError51(fmt, args)
  if (typeError) return typeError
  const syntax = syntaxError51(fmt, args)
  if (syntax) return syntax
  return changed ? { fmt: Uint8Array.from(out), argp: args } : undefined
}

const TYPE_ERROR = 'attempt to %s a %s value%s'
const VARINFO = /^ \((global|local|method|field|upvalue|constant) '(.*)'\)$/s
const decoder = new TextDecoder()

function typeError51(fmt: LuaString, args: unknown[]): { fmt: LuaString; argp: unknown[] } | undefined {
  if (fmt.length !== TYPE_ERROR.length || decoder.decode(fmt) !== TYPE_ERROR) return undefined
  const [op, type, info] = args.map((v) => (v instanceof Uint8Array ? decoder.decode(v) : String(v)))
  const named = VARINFO.exec(info ?? '')
  // Lua 5.1 names no constants ("attempt to call a string value").
  const text =
    named && named[1] !== 'constant'
      ? `attempt to ${op} ${named[1]} '${named[2]}' (a ${type} value)`
      : `attempt to ${op} a ${type} value`
  return { fmt: to_luastring('%s'), argp: [to_luastring(text)] }
}

/** Lua 5.1 quotes every token in syntax errors: "near '<eof>'", "'<name>' expected". */
function syntaxError51(fmt: LuaString, args: unknown[]): { fmt: LuaString; argp: unknown[] } | undefined {
  const i =
    fmt.length === NEAR.length && decoder.decode(fmt) === NEAR
      ? 1
      : fmt.length === EXPECTED.length && decoder.decode(fmt) === EXPECTED
        ? 0
        : -1
  const token = args[i]
  if (i < 0) return undefined
  const quoted = args.slice()
  if (token instanceof Uint8Array && token[0] === 0x3c /* < */) quoted[i] = to_luastring(`'${decoder.decode(token)}'`)
  // An expression used as a statement ("foo bar"): Lua 5.1 expected an assignment there.
  const msg = args[0]
  if (i === 1 && msg instanceof Uint8Array && decoder.decode(msg).endsWith(': syntax error'))
    quoted[0] = to_luastring(decoder.decode(msg).replace(/syntax error$/, "'=' expected"))
  return { fmt, argp: quoted }
}
const NEAR = '%s near %s'
const EXPECTED = '%s expected'

function isHexInteger(s: LuaString): boolean {
  const text = decoder.decode(s).trim()
  return /^[-+]?0[xX][0-9a-fA-F]+$/.test(text) && text.replace(/^[-+]?0[xX]0*/, '').length > 7
}

function hexValue(s: LuaString): number {
  const text = decoder.decode(s).trim()
  const negative = text.startsWith('-')
  let n = 0
  for (const d of text.replace(/^[-+]?0[xX]/, '')) n = n * 16 + parseInt(d, 16)
  return negative ? -n : n
}
