import { CwmpDecodeError, decodeEnvelope } from './decode'
import { CPE_METHODS, isAcsMethod } from './methods'
import { cwmpVersionOf, SOAP_ENC, SOAP_ENV } from './namespaces'
import type { RawRequest, TypedAcsRequest } from './types'
import { escapeXml, parseXml, XmlError, type XmlElement } from './xml'

/** Why an envelope written by hand cannot be sent; nothing was sent. */
export class RawRequestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RawRequestError'
  }
}

/**
 * Reads a SOAP envelope written by hand (the script API page's send_cwmp_message) as one RPC for
 * a CPE. Checked: at most `maxBytes`, no DOCTYPE (parseXml), a SOAP 1.1 Envelope with one Body
 * holding exactly one element, that element in a CWMP namespace (cwmp-1-0 … cwmp-1-4), and a
 * request an ACS sends (not a response, not a CPE's own request). Its header is not kept: the ACS
 * writes the header (cwmp:ID, HoldRequests) of every envelope it sends (TR-069 3.7.1.4, A.2.1).
 * An RPC the codec knows must also read as one (its required arguments present), so that the
 * store can learn from the answer; any other (vendor X_…, ChangeDUState…) goes as written.
 */
export function readRawRequest(xml: string, maxBytes: number): RawRequest {
  let root: XmlElement
  try {
    root = parseXml(xml, { maxBytes })
  } catch (error) {
    if (error instanceof XmlError) throw new RawRequestError(`the XML cannot be sent: ${error.message}`)
    throw error
  }
  if (root.local !== 'Envelope' || root.ns !== SOAP_ENV)
    throw new RawRequestError(`the root element <${root.name}> is not a SOAP Envelope (namespace ${SOAP_ENV})`)
  const bodies = root.children.filter((c) => c.local === 'Body' && c.ns === SOAP_ENV)
  if (bodies.length !== 1) throw new RawRequestError(`the envelope has ${bodies.length} SOAP Bodies; it needs one`)
  const body = bodies[0]!
  if (body.children.length !== 1)
    throw new RawRequestError(
      `the SOAP Body holds ${body.children.length} elements${body.children.length ? ` (${body.children.map((c) => `<${c.name}>`).join(', ')})` : ''}; a CWMP envelope carries exactly one RPC`,
    )
  if (body.text.trim() !== '') throw new RawRequestError('the SOAP Body has text beside its RPC element')
  const rpc = body.children[0]!
  const name = rpc.local
  if (cwmpVersionOf(rpc.ns) === undefined)
    throw new RawRequestError(
      `<${rpc.name}> is in namespace "${rpc.ns}", not a CWMP namespace (urn:dslforum-org:cwmp-1-0 … cwmp-1-4)`,
    )
  if (name.endsWith('Response')) throw new RawRequestError(`<${rpc.name}> is a response, not a request for a CPE`)
  if (Object.hasOwn(CPE_METHODS, name) && name !== 'GetRPCMethods')
    throw new RawRequestError(`${name} is a request a CPE sends to an ACS, never one an ACS sends`)
  checkNoMixedContent(rpc)
  let typed: TypedAcsRequest | undefined
  if (isAcsMethod(name)) {
    try {
      typed = decodeEnvelope(xml, { maxBytes }).body as TypedAcsRequest
    } catch (error) {
      if (error instanceof CwmpDecodeError) throw new RawRequestError(`${name} cannot be sent: ${error.message}`)
      throw error
    }
  }
  return { method: 'Raw', name, xml: serializeElement(rpc), ...(typed ? { typed } : {}) }
}

function checkNoMixedContent(el: XmlElement): void {
  if (el.children.length && el.text.trim() !== '')
    throw new RawRequestError(`<${el.name}> mixes text and elements; a CWMP argument holds one or the other`)
  for (const c of el.children) checkNoMixedContent(c)
}

/**
 * The element again as XML: names, attributes and text as written (formatting whitespace between
 * elements dropped). The top element declares every namespace in scope where it was written, so
 * it means the same inside the ACS's envelope, whatever prefixes that envelope uses.
 */
export function serializeElement(el: XmlElement, top = true): string {
  let attrs = Object.entries(el.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('')
  if (top)
    for (const [prefix, uri] of Object.entries(el.scope)) {
      const decl = prefix === '' ? 'xmlns' : `xmlns:${prefix}`
      if (prefix !== 'xml' && !(decl in el.attrs)) attrs += ` ${decl}="${escapeXml(uri)}"`
    }
  const inner = el.children.length ? el.children.map((c) => serializeElement(c, false)).join('') : escapeXml(el.text)
  return `<${el.name}${attrs}>${inner}</${el.name}>`
}

/** A CPE's answer read without knowing its method: text, or a table of named values / a list. */
export type GenericValue = string | GenericValue[] | { [name: string]: GenericValue }

/**
 * The RPC element of an envelope (the CPE's answer to a raw request) as nested values, for a
 * script: an element with text is its text; one with child elements is a table keyed by their
 * local names, a name that repeats holding the list of its values; a SOAP array (soap-enc:
 * arrayType, e.g. ParameterList) is a list even with one item. Attributes are left out.
 */
export function decodeGeneric(envelopeXml: string): { [name: string]: GenericValue } {
  const root = parseXml(envelopeXml)
  const body = root.children.find((c) => c.local === 'Body' && c.ns === SOAP_ENV)
  const rpc = body?.children[0]
  if (!rpc) return {}
  const value = genericValue(rpc)
  return typeof value === 'string' || Array.isArray(value) ? {} : value
}

function genericValue(el: XmlElement): GenericValue {
  if (el.children.length === 0) return el.text
  if (el.attrsNs[`{${SOAP_ENC}}arrayType`] !== undefined) return el.children.map(genericValue)
  // No prototype: an element named __proto__ is a key like any other.
  const out: { [name: string]: GenericValue } = Object.create(null) as { [name: string]: GenericValue }
  const repeated = new Set<string>()
  for (const c of el.children) {
    const v = genericValue(c)
    if (!Object.hasOwn(out, c.local)) out[c.local] = v
    else if (repeated.has(c.local)) (out[c.local] as GenericValue[]).push(v)
    else {
      out[c.local] = [out[c.local]!, v]
      repeated.add(c.local)
    }
  }
  return out
}
