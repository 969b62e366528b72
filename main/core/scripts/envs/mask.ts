import type { LuaJs } from '../../lua/protocol'
import { SECRET_MASK, type Masker } from '../../store/secrets'

// The mask and the Masker type live with the store, which masks the same secrets (with this
// secretMasker, handed to it by the composition root) in SOAP bodies and synced records.
export { SECRET_MASK, type Masker }

/** Secrets this long or longer are also masked encoded (shorter encodings would mask noise). */
export const ENCODED_SECRET_MIN_LENGTH = 4

/** A base64 fragment of a secret inside a longer encoded text is masked from this many characters. */
const FRAGMENT_MIN_CHARS = 5

/**
 * Masks the secrets of a run's environment. Longest first, so a secret that contains another is
 * masked whole. Each secret of ENCODED_SECRET_MIN_LENGTH characters or more is also masked in the
 * encodings a script uses by accident (secretEncodings): base64 (standard and URL-safe, alone or
 * inside a longer encoded text such as a Basic authorization), percent-encoding, hex and a JSON
 * string's escapes. A secret printed reversed, cut in pieces or otherwise transformed shows
 * (docs/scripting.md says so).
 */
export function secretMasker(secrets: readonly string[]): Masker {
  const forms = new Set<string>()
  for (const s of secrets) {
    if (s.length === 0) continue
    forms.add(s)
    if (s.length >= ENCODED_SECRET_MIN_LENGTH) for (const e of secretEncodings(s)) forms.add(e)
  }
  const list = [...forms].sort((a, b) => b.length - a.length)
  if (list.length === 0) return (text) => text
  return (text) => {
    let out = text
    for (const s of list) if (out.includes(s)) out = out.split(s).join(SECRET_MASK)
    return out
  }
}

/** The encoded forms of one secret that secretMasker masks besides the secret itself. */
export function secretEncodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const out = new Set<string>()
  const hex = bytes.toString('hex')
  out.add(hex).add(hex.toUpperCase())
  for (const b64 of [bytes.toString('base64'), bytes.toString('base64url')]) {
    out.add(b64).add(b64.replace(/=+$/, ''))
  }
  // Inside a longer encoded text (base64("user:" + secret)) the secret's characters depend on its
  // offset modulo 3: for each offset, the characters made of its bits alone.
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes])
    const from = Math.ceil((8 * offset) / 6)
    const to = Math.floor((8 * padded.length) / 6)
    for (const encoding of ['base64', 'base64url'] as const) {
      const fragment = padded.toString(encoding).slice(from, to)
      if (fragment.length >= FRAGMENT_MIN_CHARS) out.add(fragment)
    }
  }
  for (const e of percentEncodings(bytes)) out.add(e)
  out.add(JSON.stringify(secret).slice(1, -1))
  out.delete(secret)
  return [...out]
}

/** Characters each URL encoder leaves as they are (RFC 3986's unreserved ones, and more). */
const URL_KEEPS = [
  /[A-Za-z0-9\-._~]/, // RFC 3986 (Lua's usual urlencode, Python's quote(safe=""))
  /[A-Za-z0-9\-._~!'()*]/, // encodeURIComponent
  /[A-Za-z0-9\-._~!'()*;,/?:@&=+$#]/, // encodeURI
]

/** Percent-encodings of the bytes: each encoder's safe set, space as %20 or +, hex digits in either case. */
function percentEncodings(bytes: Buffer): string[] {
  const out: string[] = []
  for (const keeps of URL_KEEPS) {
    for (const plus of [false, true]) {
      for (const upper of [true, false]) {
        let text = ''
        for (const b of bytes) {
          const c = String.fromCharCode(b)
          if (b < 0x80 && keeps.test(c)) text += c
          else if (plus && b === 0x20) text += '+'
          else {
            const h = b.toString(16).padStart(2, '0')
            text += `%${upper ? h.toUpperCase() : h}`
          }
        }
        out.push(text)
      }
    }
  }
  return out
}

/** Masks every string inside a JSON-like value (return values, host call records). */
export function maskDeep<T extends LuaJs | object>(value: T, mask: Masker): T {
  if (typeof value === 'string') return mask(value) as T
  if (Array.isArray(value)) return value.map((v: LuaJs) => maskDeep(v, mask)) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[mask(k)] = maskDeep(v as LuaJs, mask)
    return out as T
  }
  return value
}
