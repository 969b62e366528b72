import type { DeviceRecord } from '../store'
import { ProfileInputError, type DeviceMatch } from './types'

/** `<2.0.1`, `>=1.2`, `=1.0`, `!=3`: a comparison; anything else is a glob. */
const COMPARISON = /^\s*(<=|>=|!=|<|>|=)\s*(.*)$/
/** What a comparison compares: dot- or dash-separated parts (numbers numerically). */
const VERSION = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/

/**
 * Compares two versions part by part ("2.0.10" > "2.0.9"); numeric parts as numbers, others as
 * text, a missing part as 0 ("1.2" = "1.2.0").
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[._-]/)
  const pb = b.split(/[._-]/)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0'
    const y = pb[i] ?? '0'
    const nx = /^\d+$/.test(x) ? Number(x) : NaN
    const ny = /^\d+$/.test(y) ? Number(y) : NaN
    const c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y)
    if (c !== 0) return Math.sign(c)
  }
  return 0
}

/** A test for a software version; throws ProfileInputError naming what is wrong in `expr`. */
export function versionTest(expr: string, where = 'match.softwareVersion'): (version: string) => boolean {
  const m = COMPARISON.exec(expr)
  if (!m) return globTest(expr)
  const [, op, v] = m as unknown as [string, string, string]
  if (!VERSION.test(v))
    throw new ProfileInputError(
      `${where}: "${expr}" is not a version comparison: after ${op} comes a version such as 2.0.1 (letters, digits, . - _)`,
    )
  return (version) => {
    if (!VERSION.test(version)) return false
    const c = compareVersions(version, v)
    switch (op) {
      case '<':
        return c < 0
      case '<=':
        return c <= 0
      case '>':
        return c > 0
      case '>=':
        return c >= 0
      case '=':
        return c === 0
      default:
        return c !== 0
    }
  }
}

/** `HUAW*`, `BM63?w`: case-insensitive, whole value. */
export function globTest(glob: string): (value: string) => boolean {
  const re = new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  )
  return (value) => re.test(value)
}

/**
 * A test for devices from a profile's match (checked: a bad expression throws). `tagsOf` gives a
 * device's tags (the store's), for a match on `tag`.
 */
export function deviceTest(
  match: DeviceMatch,
  tagsOf: (serial: string) => string[] = () => [],
): (device: DeviceRecord) => boolean {
  const tests: ((d: DeviceRecord) => boolean)[] = []
  const glob = (field: keyof DeviceMatch & keyof DeviceRecord) => {
    const g = match[field]
    if (g === undefined) return
    const t = globTest(g)
    tests.push((d) => t(String(d[field])))
  }
  glob('manufacturer')
  glob('oui')
  glob('productClass')
  glob('model')
  glob('serial')
  if (match.softwareVersion !== undefined) {
    const t = versionTest(match.softwareVersion)
    tests.push((d) => t(d.softwareVersion))
  }
  if (match.tag !== undefined) {
    const t = globTest(match.tag)
    tests.push((d) => tagsOf(d.serial).some(t))
  }
  return (d) => tests.every((t) => t(d))
}
