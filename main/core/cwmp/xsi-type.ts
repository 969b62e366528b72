import { SOAP_ENC, XSD, XSI } from './namespaces'
import type { XmlElement } from './xml'

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
