import type { LuaJs } from '../../lua/protocol'

/** What a secret value is replaced with in a run's output and record. */
export const SECRET_MASK = '••••'

/** A function that replaces each secret value in a text by SECRET_MASK (the identity when there are none). */
export type Masker = (text: string) => string

/**
 * Masks the secrets of a run's environment. Longest first, so a secret that contains another is
 * masked whole. Only the values as they are: a script that prints a secret reversed or cut in
 * pieces shows it (docs/scripting.md says so).
 */
export function secretMasker(secrets: readonly string[]): Masker {
  const list = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length)
  if (list.length === 0) return (text) => text
  return (text) => {
    let out = text
    for (const s of list) if (out.includes(s)) out = out.split(s).join(SECRET_MASK)
    return out
  }
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
