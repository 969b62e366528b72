import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { errorMessage } from '../errors'

/**
 * A namespace-resolved XML element. CWMP peers use any prefix they like ("soap", "SOAP-ENV",
 * "soapenv", none), so everything downstream matches on namespace URI + local name.
 */
export interface XmlElement {
  /** Namespace URI, "" when the element has none. */
  ns: string
  /** Local name, without prefix. */
  local: string
  /** Qualified name as written. */
  name: string
  /** Attributes by qualified name as written, values entity-decoded and untrimmed. */
  attrs: Record<string, string>
  /** Attributes by "{namespace}local" (and plain "local" for unprefixed ones). */
  attrsNs: Record<string, string>
  children: XmlElement[]
  /** Concatenated character data of this element, exactly as sent (entity-decoded, untrimmed). */
  text: string
  /** In-scope prefix → namespace URI map, for resolving QName values such as xsi:type. */
  scope: Record<string, string>
}

export type XmlErrorCode =
  | 'empty'
  | 'too-large'
  | 'doctype'
  | 'malformed'
  | 'too-deep'
  | 'too-many-elements'
  /** A character XML 1.0 forbids (control characters but TAB, LF, CR), raw or as &#…; (see FORBIDDEN). */
  | 'forbidden-char'
  /** Bytes that are not UTF-8. */
  | 'encoding'

export class XmlError extends Error {
  constructor(
    readonly code: XmlErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'XmlError'
  }
}

export interface XmlLimits {
  /** Maximum size of the XML text in bytes. */
  maxBytes: number
  /** Maximum element nesting. */
  maxDepth: number
  /** Maximum number of elements in the document. */
  maxElements: number
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 500_000,
}

// Values stay strings exactly as sent: no number/boolean conversion, no trimming. Entities are
// decoded by us (only the five predefined ones and character references), so no entity can ever
// expand; any DOCTYPE is rejected before parsing.
const parserOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: false,
  allowBooleanAttributes: false,
} as const

const XML_NS = 'http://www.w3.org/XML/1998/namespace'

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> }

export function parseXml(input: string | Buffer, limits: Partial<XmlLimits> = {}): XmlElement {
  const lim = { ...DEFAULT_XML_LIMITS, ...limits }
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length
  if (size > lim.maxBytes)
    throw new XmlError('too-large', `XML body of ${size} bytes exceeds the ${lim.maxBytes}-byte limit`)
  const text = typeof input === 'string' ? input : utf8(input)
  if (text.trim() === '') throw new XmlError('empty', 'empty XML body')
  const bad = FORBIDDEN.exec(text)
  if (bad) {
    const before = text.slice(0, bad.index)
    const line = before.split('\n').length
    const column = bad.index - before.lastIndexOf('\n')
    throw new XmlError('forbidden-char', `${forbidden(bad[0].codePointAt(0)!)} at line ${line}, column ${column}`)
  }
  if (/<!DOCTYPE/i.test(text)) throw new XmlError('doctype', 'DOCTYPE declarations are not allowed in CWMP messages')
  if (/<!ENTITY/i.test(text)) throw new XmlError('doctype', 'ENTITY declarations are not allowed in CWMP messages')

  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false })
  if (valid !== true) {
    const { msg, line, col } = valid.err
    throw new XmlError('malformed', `malformed XML at line ${line}, column ${col}: ${msg}`)
  }
  let ordered: OrderedNode[]
  try {
    ordered = parserFor(lim.maxDepth).parse(text) as OrderedNode[]
  } catch (error) {
    const message = errorMessage(error)
    if (/nest/i.test(message)) throw new XmlError('too-deep', `XML nested deeper than ${lim.maxDepth} elements`)
    throw new XmlError('malformed', `malformed XML: ${message}`)
  }
  const roots = ordered.filter((n) => elementName(n) !== undefined)
  if (roots.length !== 1) throw new XmlError('malformed', `expected one root element, found ${roots.length}`)
  const counter = { n: 0, max: lim.maxElements, maxDepth: lim.maxDepth }
  return convert(roots[0]!, { xml: XML_NS }, counter, 1)
}

// Building an XMLParser costs several times more than parsing a typical CWMP message with it, and
// a parser keeps no state between parse() calls, so one per depth limit is kept.
const parsers = new Map<number, XMLParser>()

function parserFor(maxDepth: number): XMLParser {
  let parser = parsers.get(maxDepth)
  if (!parser) {
    parser = new XMLParser({ ...parserOptions, maxNestedTags: maxDepth + 1 })
    if (parsers.size > 8) parsers.clear()
    parsers.set(maxDepth, parser)
  }
  return parser
}

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ':@' && key !== '#text' && key !== '#cdata') return key
  }
  return undefined
}

function convert(
  node: OrderedNode,
  parentScope: Record<string, string>,
  counter: { n: number; max: number; maxDepth: number },
  depth: number,
): XmlElement {
  if (++counter.n > counter.max) throw new XmlError('too-many-elements', `XML has more than ${counter.max} elements`)
  if (depth > counter.maxDepth) throw new XmlError('too-deep', `XML nested deeper than ${counter.maxDepth} elements`)
  const name = elementName(node)!
  const rawAttrs = node[':@'] ?? {}
  const attrs: Record<string, string> = {}
  let scope = parentScope
  for (const [key, value] of Object.entries(rawAttrs)) {
    const decoded = decodeEntities(String(value), `${name} ${key}`)
    attrs[key] = decoded
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (scope === parentScope) scope = { ...parentScope }
      scope[key === 'xmlns' ? '' : key.slice(6)] = decoded
    }
  }
  const { prefix, local } = splitQName(name)
  const ns = scope[prefix] ?? ''
  const attrsNs: Record<string, string> = {}
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue
    const q = splitQName(key)
    // Unprefixed attributes are in no namespace (not the default one), per Namespaces in XML.
    attrsNs[q.prefix ? `{${scope[q.prefix] ?? ''}}${q.local}` : q.local] = value
  }
  const children: XmlElement[] = []
  let text = ''
  const content = node[name] as OrderedNode[]
  for (const child of content) {
    if ('#text' in child) text += decodeEntities(String(child['#text']), name)
    else if ('#cdata' in child) {
      for (const part of child['#cdata'] as { '#text'?: string }[]) text += part['#text'] ?? ''
    } else if (elementName(child) !== undefined) children.push(convert(child, scope, counter, depth + 1))
  }
  return { ns, local, name, attrs, attrsNs, children, text, scope }
}

export function splitQName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':')
  return colon < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) }
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/**
 * The characters XML 1.0 forbids (section 2.2, Char): C0 controls but TAB, LF and CR, U+FFFE,
 * U+FFFF and unpaired surrogates. A CPE that sends them (ESC, BEL…) sends something that is not
 * XML, and they would reach terminals and logs as control sequences.
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function isForbidden(code: number): boolean {
  return (
    code > 0x10ffff ||
    (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfffe ||
    code === 0xffff
  )
}

function forbidden(code: number): string {
  const hex = code.toString(16).toUpperCase().padStart(4, '0')
  return `character U+${hex} is not allowed in XML 1.0 (control characters other than TAB, LF and CR are refused, raw or as &#…;)`
}

/** Strict UTF-8: invalid bytes would silently become U+FFFD and make two different serials one. */
function utf8(input: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input)
  } catch {
    const text = input.toString('utf8')
    const at = text.indexOf('\uFFFD')
    const offset = at < 0 ? 0 : Buffer.byteLength(text.slice(0, at))
    throw new XmlError(
      'encoding',
      `the message is not valid UTF-8 (at byte ${offset}): CWMP messages are UTF-8; fix the encoding on the CPE`,
    )
  }
}

/**
 * The five predefined entities and character references; anything else is left as written (no
 * entity can expand). A reference to a character XML forbids throws (`where` names the element).
 */
export function decodeEntities(s: string, where = 'text'): string {
  if (!s.includes('&')) return s
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      if (!Number.isFinite(code) || isForbidden(code))
        throw new XmlError('forbidden-char', `${whole} in <${where}>: ${forbidden(Number.isFinite(code) ? code : 0)}`)
      return String.fromCodePoint(code)
    }
    return NAMED[ref] ?? whole
  })
}

/** Blanks what FORBIDDEN and decodeEntities refuse, to read the rest of an envelope (see decode.ts). */
export function blankForbidden(text: string): string {
  return text
    .replace(new RegExp(FORBIDDEN.source, 'g'), ' ')
    .replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (whole, ref: string) => {
      const code = ref[0] === 'x' ? parseInt(ref.slice(1), 16) : parseInt(ref, 10)
      return !Number.isFinite(code) || isForbidden(code) ? ' ' : whole
    })
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  )
}

/** First child with this local name (any namespace: CWMP peers qualify argument names inconsistently). */
export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local)
}

export function childText(el: XmlElement | undefined, local: string): string | undefined {
  return child(el, local)?.text
}

export function childrenNamed(el: XmlElement | undefined, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local) : []
}
