import { SOAP_ENC, XSD, XSI } from './namespaces'
import type { XmlElement } from './xml'

/**
 * Checks a value against the xsd type a CPE reported for a parameter (TR-069 Amendment 6, section
 * 3.2.1: string, int, unsignedInt, boolean, dateTime, base64, hexBinary, long, unsignedLong).
 * Pure, so the UI validates as the user types and the API checks again before anything is sent.
 * Returns an error message, or null when the value is acceptable.
 */
export function checkXsdValue(type: string | null | undefined, value: string): string | null {
  const t = (type ?? 'xsd:string').replace(/^xsd:/, '')
  switch (t) {
    case 'boolean':
      return /^(true|false|0|1)$/.test(value) ? null : 'a boolean is true, false, 1 or 0'
    case 'int':
      return intInRange(value, -(2n ** 31n), 2n ** 31n - 1n, 'an int')
    case 'unsignedInt':
      return intInRange(value, 0n, 2n ** 32n - 1n, 'an unsignedInt')
    case 'long':
      return intInRange(value, -(2n ** 63n), 2n ** 63n - 1n, 'a long')
    case 'unsignedLong':
      return intInRange(value, 0n, 2n ** 64n - 1n, 'an unsignedLong')
    case 'dateTime':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value)
        ? null
        : 'a dateTime looks like 2024-05-01T12:00:00Z'
    case 'base64':
      return /^[A-Za-z0-9+/\s]*={0,2}$/.test(value) ? null : 'base64 uses A–Z, a–z, 0–9, + and /'
    case 'hexBinary':
      return /^([0-9A-Fa-f]{2})*$/.test(value) ? null : 'hexBinary is pairs of hex digits'
    default:
      return null
  }
}

function intInRange(value: string, min: bigint, max: bigint, what: string): string | null {
  if (!/^[-+]?\d+$/.test(value.trim())) return `${what} is a whole number`
  const n = BigInt(value.trim())
  return n < min || n > max ? `${what} is between ${min} and ${max}` : null
}

/** XML Schema built-in types CPEs name in xsi:type. */
const XSD_TYPES = new Set([
  'string',
  'int',
  'unsignedInt',
  'long',
  'unsignedLong',
  'boolean',
  'dateTime',
  'base64',
  'base64Binary',
  'hexBinary',
  'short',
  'unsignedShort',
  'byte',
  'unsignedByte',
  'integer',
  'decimal',
  'anyURI',
])

/** xsi:type as "xsd:<local>" when it names an XML Schema type, else as written. */
export function xsiType(value: XmlElement): string {
  const raw = value.attrsNs[`{${XSI}}type`]
  if (!raw) return 'xsd:string'
  const colon = raw.indexOf(':')
  const prefix = colon < 0 ? '' : raw.slice(0, colon)
  const local = colon < 0 ? raw : raw.slice(colon + 1)
  const ns = value.scope[prefix]
  if (ns === XSD) return `xsd:${local}`
  // CPE stacks also write the type unprefixed ("unsignedInt"), with a prefix they never declared,
  // or as a SOAP-ENC type (which mirrors XML Schema's): all of them mean the XML Schema type.
  if ((prefix === '' || ns === undefined || ns === SOAP_ENC) && XSD_TYPES.has(local)) return `xsd:${local}`
  return raw
}
