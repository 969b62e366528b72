/**
 * What a terminal or a log line must not receive raw from text a CPE (or any other host on the
 * bench LAN) chose: C0 controls but TAB (ESC starts escape sequences, BEL rings, CR and LF forge
 * lines), DEL, C1 controls (U+009B acts as ESC [ on many terminals), the line and paragraph
 * separators, and the bidirectional embeddings, overrides and isolates (they reorder what is shown).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\x00-\x08\x0A-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

/** What JSON.stringify leaves raw among those (its own line breaks are layout, outside strings). */
const RAW_IN_JSON = /[\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\x1b': '\\e' }

/**
 * The text with every such character as a visible escape (\n, \r, \e, \x07, \u202e): one line on a
 * terminal, showing what was sent. Every text output of the command line goes through it.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0)
    return NAMED[c] ?? (code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`)
  })
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves DEL, C1 controls and the
 * bidirectional overrides raw; these become \u escapes too (the same JSON value).
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${hex(c.charCodeAt(0), 4)}`)
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}
