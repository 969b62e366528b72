/**
 * The XML Schema types TR-106 data models use, with the lexical checks a CPE applies before it
 * accepts a SetParameterValues (9006 for a wrong type, 9007 for a bad value).
 */
export const XSD_TYPES = [
  'xsd:string',
  'xsd:int',
  'xsd:unsignedInt',
  'xsd:long',
  'xsd:unsignedLong',
  'xsd:boolean',
  'xsd:dateTime',
  'xsd:base64',
  'xsd:hexBinary',
] as const
export type XsdType = (typeof XSD_TYPES)[number]

/** "string", "xsd:string", "XSD:String" → "xsd:string"; undefined for anything unknown. */
export function normaliseXsdType(raw: string): XsdType | undefined {
  const local = raw.trim().replace(/^xsd:/i, '').toLowerCase()
  return XSD_TYPES.find((t) => t.slice(4).toLowerCase() === local)
}

/** Optional limits from the model file (JSON models only; CSV has no column for them). */
export interface Constraints {
  enum?: string[]
  min?: number
  max?: number
  maxLength?: number
}

const RANGES: Partial<Record<XsdType, [bigint, bigint]>> = {
  'xsd:int': [-2147483648n, 2147483647n],
  'xsd:unsignedInt': [0n, 4294967295n],
  'xsd:long': [-9223372036854775808n, 9223372036854775807n],
  'xsd:unsignedLong': [0n, 18446744073709551615n],
}

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/

export type ValueCheck = { ok: true; value: string } | { ok: false; reason: string }

/**
 * Checks a value against its type and constraints. Returns the value as the CPE stores it
 * (numbers in canonical form; booleans in the style the parameter already uses).
 */
export function checkValue(type: XsdType, raw: string, constraints?: Constraints, current?: string): ValueCheck {
  const bad = (reason: string): ValueCheck => ({ ok: false, reason })
  let value = raw
  const range = RANGES[type]
  if (range) {
    const v = raw.trim()
    if (!/^[+-]?\d+$/.test(v)) return bad(`"${raw}" is not an integer (${type})`)
    const n = BigInt(v)
    if (n < range[0] || n > range[1]) return bad(`${v} is out of range for ${type}`)
    if (constraints?.min !== undefined && n < BigInt(constraints.min))
      return bad(`${v} is below the minimum ${constraints.min}`)
    if (constraints?.max !== undefined && n > BigInt(constraints.max))
      return bad(`${v} is above the maximum ${constraints.max}`)
    value = n.toString()
  } else if (type === 'xsd:boolean') {
    const v = raw.trim().toLowerCase()
    if (!['0', '1', 'true', 'false'].includes(v)) return bad(`"${raw}" is not a boolean (0, 1, true or false)`)
    const truth = v === '1' || v === 'true'
    const numericStyle = current === '0' || current === '1'
    value = numericStyle ? (truth ? '1' : '0') : truth ? 'true' : 'false'
  } else if (type === 'xsd:dateTime') {
    const m = DATE_TIME.exec(raw.trim())
    if (!m) return bad(`"${raw}" is not an xsd:dateTime (e.g. 2024-05-01T12:00:00Z)`)
    const [, , mo, d, h, mi, s, , , tzh, tzm] = m
    if (+mo! < 1 || +mo! > 12 || +d! < 1 || +d! > 31 || +h! > 24 || +mi! > 59 || +s! > 60)
      return bad(`"${raw}" is not a valid date and time`)
    if (tzh !== undefined && (+tzh > 14 || +tzm! > 59)) return bad(`"${raw}" has an invalid time zone offset`)
    value = raw.trim()
  } else if (type === 'xsd:base64') {
    const v = raw.replace(/\s+/g, '')
    if (v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return bad('value is not valid base64')
    value = v
  } else if (type === 'xsd:hexBinary') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(raw.trim())) return bad('value is not valid hexBinary')
    value = raw.trim()
  }
  if (constraints?.maxLength !== undefined && value.length > constraints.maxLength)
    return bad(`value is longer than ${constraints.maxLength} characters`)
  if (constraints?.enum && !constraints.enum.includes(value))
    return bad(`"${value}" is not one of ${constraints.enum.join(', ')}`)
  return { ok: true, value }
}

/** The value a freshly created instance's parameter gets when its template gives none. */
export function defaultValue(type: XsdType): string {
  switch (type) {
    case 'xsd:boolean':
      return 'false'
    case 'xsd:int':
    case 'xsd:unsignedInt':
    case 'xsd:long':
    case 'xsd:unsignedLong':
      return '0'
    case 'xsd:dateTime':
      return '0001-01-01T00:00:00Z'
    default:
      return ''
  }
}
