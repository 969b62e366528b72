import type { OutboxTopic } from '../../store/types'

/**
 * The subjects Bench ACS publishes on (documented in the README and docs/sync.md):
 *
 *   <prefix>.<site>.<topic>.<key>   our own records, stream BENCH (subjects <prefix>.>)
 *   cwmp.v1.<serial>.info           raw Inform XML, as an Oktopus ACS publishes it (stream cwmp)
 *   cwmp.v1.<serial>.status         "0" when a device went offline, as Oktopus' ACS does
 *
 * <serial> in cwmp.v1.… is serialToken(serial): Oktopus' adapter takes the device from that token,
 * so info and status must carry the same one, and two serials must never share one.
 */
export const OKTOPUS_STREAM = 'cwmp'
export const OKTOPUS_SUBJECTS = ['cwmp.>']

/** A subject token: no dots, wildcards or white space (they would split or widen the subject). */
export function subjectToken(value: string | null | undefined): string {
  if (!value) return '_'
  // eslint-disable-next-line no-control-regex
  return value.replace(/[.*>\s\x00-\x1f\x7f]/g, '_')
}

export function benchSubject(prefix: string, site: string, topic: OutboxTopic, key: string | null): string {
  return `${prefix}.${subjectToken(site)}.${topic}.${subjectToken(key)}`
}

/**
 * A serial as one subject token, the same serial always the same token and two serials never the
 * same one: printable ASCII stays as it is, except what a token cannot carry (`.` splits it, `*`
 * and `>` are wildcards) and `%`, which are written %XX (hex of the byte, as in a URL), as are
 * white space, control characters and every byte of a non-ASCII character (UTF-8). A serial of
 * letters, digits, `-` and `_` (nearly all) is its own token; "" (never stored: an Inform needs a
 * serial) is "%".
 */
export function serialToken(serial: string): string {
  if (serial === '') return '%'
  return serial.replace(/[^!-~]|[.*>%]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  )
}

/** The serial a token stands for (serialToken's inverse), for consumers and tests. */
export function serialOfToken(token: string): string {
  return token === '%' ? '' : decodeURIComponent(token)
}

export function oktopusInfoSubject(serial: string): string {
  return `cwmp.v1.${serialToken(serial)}.info`
}

export function oktopusStatusSubject(serial: string): string {
  return `cwmp.v1.${serialToken(serial)}.status`
}

/** True when a stream subject (with * and > wildcards) captures a concrete subject. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.')
  const s = subject.split('.')
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i
    if (i >= s.length) return false
    if (p[i] !== '*' && p[i] !== s[i]) return false
  }
  return p.length === s.length
}
