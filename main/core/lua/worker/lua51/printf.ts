/**
 * C's printf number conversions, as glibc does them, for Lua 5.1 semantics: Lua 5.1 formats
 * numbers with sprintf ("%.14g" for tostring, the script's own spec for string.format). Fengari
 * formats with JavaScript (toPrecision, sprintf-js), which differs in many places: "1e+15" is
 * "1000000000000000" there, "1e-05" is "0.00001", "%e" has a one-digit exponent, "%g" keeps
 * trailing zeros. JS's toExponential/toFixed round an exact tie up, glibc to even: ties are
 * detected on the exact decimal expansion and rounded as glibc does.
 */

export interface Spec {
  /** Flags as written: any of "-+ #0". */
  flags: string
  width?: number
  precision?: number
}

const f64 = new Float64Array(1)
const f64bytes = new Uint8Array(f64.buffer)

/** NaN keeps the sign the hardware gave it (0/0 is -nan on x86, as lua5.1 prints it). */
function negative(x: number): boolean {
  if (x !== x) {
    f64[0] = x
    return (f64bytes[7]! & 0x80) !== 0
  }
  return x < 0 || Object.is(x, -0)
}

/** Digits of |x| (> 0) rounded to `digits` significant digits, glibc-style: [digits, exponent]. */
function roundSignificant(x: number, digits: number): [string, number] {
  const [mant, exp] = x.toExponential(Math.min(digits - 1, 100)).split('e') as [string, string]
  // JS rounds an exact tie away from zero, glibc to even: when the exact expansion is the kept
  // digits then 5 and zeros, with an even last digit, glibc keeps the digits as they are.
  // Cheap test first: an exact tie shows as "…50" two digits further.
  if (digits <= 90 && /50e/.test(x.toExponential(digits + 1))) {
    const [longMant, longExp] = x.toExponential(100).split('e') as [string, string]
    const all = longMant.replace('.', '')
    if (/^50*$/.test(all.slice(digits)) && Number(all[digits - 1]) % 2 === 0)
      return [all.slice(0, digits), Number(longExp)]
  }
  return [mant.replace('.', ''), Number(exp)]
}

/** The decimal exponent of |x| (> 0), unrounded. */
function exponentOf(x: number): number {
  return Number(x.toExponential().split('e')[1])
}

function expForm(digits: string, e: number, precision: number, alt: boolean, upper: boolean): string {
  const frac = digits.slice(1, 1 + precision).padEnd(precision, '0')
  const dot = precision > 0 || alt ? '.' : ''
  const ee = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  return `${digits[0]}${dot}${frac}${upper ? 'E' : 'e'}${ee}`
}

/** |x| with `precision` decimals, exact for any size (toFixed switches to exponents at 1e21). */
function fixedForm(x: number, precision: number, alt: boolean): string {
  let s: string
  if (x >= 1e21) s = BigInt(x).toString() + (precision > 0 ? '.' + '0'.repeat(precision) : '')
  else if (x === 0) s = precision > 0 ? '0.' + '0'.repeat(precision) : '0'
  else {
    // Round through the significant-digit path so ties go to even, as glibc does.
    const digitsWanted = exponentOf(x) + 1 + precision
    if (digitsWanted <= 0) {
      // It rounds to 0 or to one unit in the last place: up when over half a unit, exactly
      // (a tie rounds to even, 0).
      const digits = x.toExponential(100).split('e')[0]!.replace('.', '')
      const up = digitsWanted === 0 && digits > '5' && !/^50*$/.test(digits)
      const zeros = precision > 0 ? '0.' + '0'.repeat(precision - (up ? 1 : 0)) : ''
      s = precision > 0 ? zeros + (up ? '1' : '') : up ? '1' : '0'
    } else if (digitsWanted > 100) s = x.toFixed(Math.min(precision, 100))
    else {
      const [rounded, exp] = roundSignificant(x, digitsWanted)
      // Rounding may have added a digit (9.99 to 10.0): exp says where the point goes.
      const digits = exp < 0 ? '0'.repeat(-exp) + rounded : rounded
      const point = Math.max(exp + 1, 1)
      const needed = point + precision
      const padded = digits.padEnd(needed, '0').slice(0, needed)
      s = precision > 0 ? `${padded.slice(0, point)}.${padded.slice(point)}` : padded.slice(0, point)
    }
  }
  if (alt && precision === 0) s += '.'
  return s
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s
  const [mant, exp] = s.split(/(?=[eE])/) as [string, string | undefined]
  const trimmed = mant.replace(/0+$/, '').replace(/\.$/, '')
  return trimmed + (exp ?? '')
}

/** %e %E %f %F %g %G of a double, with flags, width and precision as C's printf. */
export function formatFloat(conv: string, x: number, spec: Spec): string {
  const upper = conv === 'E' || conv === 'F' || conv === 'G'
  const alt = spec.flags.includes('#')
  const neg = negative(x)
  const ax = Math.abs(x)
  let body: string
  if (!Number.isFinite(x)) body = x !== x ? 'nan' : 'inf'
  else {
    const lower = conv.toLowerCase()
    const p = spec.precision ?? 6
    if (lower === 'e') {
      const [digits, e] = ax === 0 ? ['0', 0] : roundSignificant(ax, p + 1)
      body = expForm(digits, e, p, alt, false)
    } else if (lower === 'f') body = fixedForm(ax, p, alt)
    else {
      const P = p === 0 ? 1 : p
      const [digits, X] = ax === 0 ? ['0', 0] : roundSignificant(ax, P)
      body = P > X && X >= -4 ? fixedForm(ax, P - 1 - X, alt) : expForm(digits, X, P - 1, alt, false)
      if (!alt) body = stripZeros(body)
    }
  }
  if (upper) body = body.toUpperCase()
  const sign = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : ''
  return pad(sign, body, spec, Number.isFinite(x))
}

/** %d %i %u %o %x %X of a number C has cast to an integer (truncated, as (long)d does). */
export function formatInteger(conv: string, n: number, spec: Spec): string {
  let v = Number.isFinite(n) ? BigInt(Math.trunc(n)) : -(2n ** 63n)
  if (v >= 2n ** 63n || v < -(2n ** 63n)) v = -(2n ** 63n)
  let sign = ''
  let digits: string
  if (conv === 'd' || conv === 'i') {
    if (v < 0n) sign = '-'
    else if (spec.flags.includes('+')) sign = '+'
    else if (spec.flags.includes(' ')) sign = ' '
    digits = (v < 0n ? -v : v).toString()
  } else {
    // Unsigned conversions see the two's complement of a negative value.
    const u = v < 0n ? v + 2n ** 64n : v
    digits = u.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16)
    if (conv === 'X') digits = digits.toUpperCase()
    if (spec.flags.includes('#') && u !== 0n) {
      if (conv === 'o') digits = '0' + digits
      else if (conv === 'x') sign = '0x'
      else if (conv === 'X') sign = '0X'
    }
  }
  if (spec.precision !== undefined) {
    digits = spec.precision === 0 && digits === '0' ? '' : digits.padStart(spec.precision, '0')
    return pad(sign, digits, { ...spec, flags: spec.flags.replace('0', '') }, true)
  }
  return pad(sign, digits, spec, true)
}

/** Pads to the width: spaces on the left, on the right with "-", zeros after the sign with "0". */
export function pad(sign: string, body: string, spec: Spec, zeroOk: boolean): string {
  const width = spec.width ?? 0
  const len = sign.length + body.length
  if (len >= width) return sign + body
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(width - len)
  if (zeroOk && spec.flags.includes('0')) return sign + '0'.repeat(width - len) + body
  return ' '.repeat(width - len) + sign + body
}

/** tostring, print and `..` of a number in Lua 5.1: sprintf("%.14g"). */
export function numberToString51(n: number): string {
  // The common case, an integer that %.14g shows in full, without the general path.
  if (Number.isInteger(n) && Math.abs(n) < 1e14 && !Object.is(n, -0)) return String(n)
  return formatFloat('g', n, { flags: '', precision: 14 })
}
