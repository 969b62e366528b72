import {
  blankForbidden,
  child,
  childrenNamed,
  childText,
  parseXml,
  XmlError,
  type XmlElement,
  type XmlLimits,
} from './xml'
import { CWMP_NS_PREFIX, cwmpVersionOf, SOAP_ENV, type CwmpVersion } from './namespaces'
import type { CwmpFault } from './faults'
import { checkCpeLimits, CwmpLimitError } from './limits'
import { xsiType } from './xsi-type'
import type { CwmpBody, CwmpHeader, FaultStruct, ParameterValueStruct, UnknownBody } from './types'
import { classify, type CpeMessage } from './methods'

export type DecodeErrorKind = 'xml' | 'not-soap' | 'no-body' | 'namespace' | 'arguments'

/** A message that cannot be understood. `faultCode` is what an ACS answers with (8003 or 8000). */
export class CwmpDecodeError extends Error {
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
    readonly faultCode: number = 8003,
    /** For kind "xml": what the XML layer rejected. */
    readonly xmlCode?: XmlError['code'],
  ) {
    super(message)
    this.name = 'CwmpDecodeError'
  }
  /**
   * Set when the envelope itself was understood but its header or RPC arguments were not: the
   * namespace and header let the receiver answer with a SOAP fault in the peer's version, echoing its ID.
   */
  context?: { version: CwmpVersion; header: CwmpHeader; method?: string }
}

export type { UnknownBody } from './types'

/**
 * A decoded envelope, its body classified as the ACS sees it (`kind`, see methods.ts). `body` is
 * null when the Body is empty (some CPEs send an empty envelope instead of an empty POST).
 */
export type DecodedEnvelope = { version: CwmpVersion; header: CwmpHeader } & CpeMessage

export function decodeEnvelope(input: string | Buffer, limits?: Partial<XmlLimits>): DecodedEnvelope {
  let root: XmlElement
  try {
    root = parseXml(input, limits)
  } catch (error) {
    if (error instanceof XmlError) throw withContext(new CwmpDecodeError('xml', error.message, 8003, error.code), input)
    throw error
  }
  if (root.local !== 'Envelope' || root.ns !== SOAP_ENV) {
    throw new CwmpDecodeError(
      root.local === 'Envelope' ? 'namespace' : 'not-soap',
      root.local === 'Envelope'
        ? `SOAP Envelope in namespace "${root.ns}", expected ${SOAP_ENV}`
        : `root element <${root.name}> is not a SOAP Envelope`,
    )
  }
  const headerEl = root.children.find((c) => c.local === 'Header' && c.ns === SOAP_ENV)
  const bodyEl = root.children.find((c) => c.local === 'Body' && c.ns === SOAP_ENV)
  if (!bodyEl) throw new CwmpDecodeError('no-body', 'SOAP Envelope has no Body')
  const rpc = bodyEl.children[0]

  const version = detectVersion(root, headerEl, rpc)
  let header: CwmpHeader = {}
  try {
    header = decodeHeader(headerEl)
    const body = rpc ? decodeRpc(rpc) : null
    if (body && body.method !== 'Unknown') checkCpeLimits(body)
    return { version, header, ...classify(body) }
  } catch (error) {
    const e =
      error instanceof CwmpLimitError ? new CwmpDecodeError('arguments', `${rpc?.local}: ${error.message}`) : error
    if (e instanceof CwmpDecodeError) e.context = { version, header, method: rpc?.local }
    throw e
  }
}

/**
 * A forbidden character or invalid UTF-8 makes a message unreadable as XML, but its envelope
 * usually is readable with them blanked out: then the CPE gets a SOAP fault 8003 it understands
 * (its CWMP version, its ID) instead of a bare HTTP 400. Nothing of the blanked copy is kept.
 */
function withContext(error: CwmpDecodeError, input: string | Buffer): CwmpDecodeError {
  if (error.xmlCode !== 'forbidden-char' && error.xmlCode !== 'encoding') return error
  try {
    const { version, header, body } = decodeEnvelope(blankForbidden(input.toString()))
    error.context = { version, header, method: body?.method === 'Unknown' ? body.name : body?.method }
  } catch (e) {
    // Not readable even so: the plain refusal stands, in the CPE's terms when those were read.
    if (e instanceof CwmpDecodeError && e.context) error.context = e.context
  }
  return error
}

function decodeRpc(rpc: XmlElement): CwmpBody | UnknownBody {
  if (rpc.local === 'Fault' && rpc.ns === SOAP_ENV) return { method: 'Fault', ...decodeFault(rpc) }
  if (cwmpVersionOf(rpc.ns) === undefined) {
    throw new CwmpDecodeError(
      'namespace',
      `<${rpc.name}> is in namespace "${rpc.ns}", not a supported CWMP namespace (cwmp-1-0 … cwmp-1-4)`,
    )
  }
  const decoder = DECODERS[rpc.local]
  if (!decoder) return { method: 'Unknown', name: rpc.local, ns: rpc.ns, element: rpc }
  return decoder(rpc)
}

function detectVersion(root: XmlElement, header: XmlElement | undefined, rpc: XmlElement | undefined): CwmpVersion {
  const candidates: string[] = []
  if (rpc) {
    candidates.push(rpc.ns)
    if (rpc.local === 'Fault') {
      const detailFault = child(child(rpc, 'detail'), 'Fault')
      if (detailFault) candidates.push(detailFault.ns)
    }
  }
  for (const h of header?.children ?? []) candidates.push(h.ns)
  for (const ns of candidates) {
    const v = cwmpVersionOf(ns)
    if (v) return v
  }
  const unsupported = candidates.find((ns) => ns.startsWith(CWMP_NS_PREFIX))
  if (unsupported) throw new CwmpDecodeError('namespace', `unsupported CWMP namespace "${unsupported}"`)
  // An empty Body with no header (or an envelope without cwmp elements): take the newest declared.
  const declared = Object.values(root.scope)
    .map(cwmpVersionOf)
    .filter((v): v is CwmpVersion => v !== undefined)
    .sort()
  const newest = declared[declared.length - 1]
  if (newest) return newest
  // A plain SOAP fault (no cwmp:Fault detail) from a stack that declares no CWMP namespace at all
  // is still the answer to our request; the namespace only matters for a reply, which the session's
  // own namespace decides.
  if (rpc?.local === 'Fault' && rpc.ns === SOAP_ENV) return 'cwmp-1-0'
  throw new CwmpDecodeError('namespace', 'no CWMP namespace (urn:dslforum-org:cwmp-1-0 … cwmp-1-4) in the envelope')
}

function decodeHeader(header: XmlElement | undefined): CwmpHeader {
  const out: CwmpHeader = {}
  for (const h of header?.children ?? []) {
    if (cwmpVersionOf(h.ns) === undefined) continue
    if (h.local === 'ID') out.id = h.text
    else if (h.local === 'HoldRequests') out.holdRequests = parseBool(h.text, 'HoldRequests')
    else if (h.local === 'NoMoreRequests') out.noMoreRequests = parseBool(h.text, 'NoMoreRequests')
    else if (h.local === 'SessionTimeout') out.sessionTimeout = parseUint(h.text, 'SessionTimeout')
  }
  return out
}

function decodeFault(fault: XmlElement): CwmpFault {
  const cwmpFault = child(child(fault, 'detail'), 'Fault')
  if (!cwmpFault) {
    // A bare SOAP fault without CWMP detail: keep what the peer said.
    return { faultCode: 0, faultString: childText(fault, 'faultstring') ?? 'SOAP fault without CWMP detail' }
  }
  const spv = childrenNamed(cwmpFault, 'SetParameterValuesFault').map((f) => ({
    parameterName: childText(f, 'ParameterName') ?? '',
    faultCode: parseUint(childText(f, 'FaultCode') ?? '', 'FaultCode'),
    faultString: childText(f, 'FaultString') ?? '',
  }))
  return {
    faultCode: parseUint(required(cwmpFault, 'FaultCode'), 'FaultCode'),
    faultString: childText(cwmpFault, 'FaultString') ?? '',
    ...(spv.length ? { setParameterValuesFaults: spv } : {}),
  }
}

type Decoder = (el: XmlElement) => CwmpBody

const text = (el: XmlElement, name: string) => childText(el, name) ?? ''

function required(el: XmlElement | undefined, name: string): string {
  const v = childText(el, name)
  if (v === undefined) throw new CwmpDecodeError('arguments', `<${el?.local ?? '?'}> is missing <${name}>`)
  return v
}

function parseBool(s: string, what: string): boolean {
  const v = s.trim().toLowerCase()
  if (v === '1' || v === 'true') return true
  if (v === '0' || v === 'false') return false
  throw new CwmpDecodeError('arguments', `${what} must be a boolean, got "${s}"`)
}

function parseUint(s: string, what: string): number {
  const v = s.trim()
  if (!/^\d{1,10}$/.test(v)) throw new CwmpDecodeError('arguments', `${what} must be an unsigned integer, got "${s}"`)
  return Number(v)
}

const optUint = (el: XmlElement, name: string, fallback = 0) => {
  const v = childText(el, name)
  return v === undefined || v.trim() === '' ? fallback : parseUint(v, name)
}

function strings(el: XmlElement | undefined): string[] {
  return el ? el.children.map((c) => c.text) : []
}

function valueStructs(list: XmlElement | undefined): ParameterValueStruct[] {
  return childrenNamed(list, 'ParameterValueStruct').map((p) => {
    const valueEl = child(p, 'Value')
    return { name: required(p, 'Name'), value: valueEl?.text ?? '', type: valueEl ? xsiType(valueEl) : 'xsd:string' }
  })
}

function faultStruct(el: XmlElement): FaultStruct {
  const f = child(el, 'FaultStruct')
  return { faultCode: f ? optUint(f, 'FaultCode') : 0, faultString: f ? text(f, 'FaultString') : '' }
}

const DECODERS: Record<string, Decoder> = {
  // CPE → ACS requests
  Inform(el) {
    const id = child(el, 'DeviceId')
    if (!id) throw new CwmpDecodeError('arguments', 'Inform is missing <DeviceId>')
    const serialNumber = required(id, 'SerialNumber')
    if (serialNumber.trim() === '') throw new CwmpDecodeError('arguments', 'Inform has an empty SerialNumber')
    return {
      method: 'Inform',
      deviceId: {
        manufacturer: text(id, 'Manufacturer'),
        oui: text(id, 'OUI'),
        productClass: text(id, 'ProductClass'),
        serialNumber,
      },
      event: childrenNamed(child(el, 'Event'), 'EventStruct').map((ev) => ({
        eventCode: required(ev, 'EventCode').trim(),
        commandKey: text(ev, 'CommandKey'),
      })),
      maxEnvelopes: optUint(el, 'MaxEnvelopes', 1),
      currentTime: text(el, 'CurrentTime'),
      retryCount: optUint(el, 'RetryCount'),
      parameterList: valueStructs(child(el, 'ParameterList')),
    }
  },
  TransferComplete: (el) => ({
    method: 'TransferComplete',
    commandKey: text(el, 'CommandKey'),
    faultStruct: faultStruct(el),
    startTime: text(el, 'StartTime'),
    completeTime: text(el, 'CompleteTime'),
  }),
  AutonomousTransferComplete: (el) => ({
    method: 'AutonomousTransferComplete',
    announceUrl: text(el, 'AnnounceURL'),
    transferUrl: text(el, 'TransferURL'),
    isDownload: parseBool(text(el, 'IsDownload') || '0', 'IsDownload'),
    fileType: text(el, 'FileType'),
    fileSize: optUint(el, 'FileSize'),
    targetFileName: text(el, 'TargetFileName'),
    faultStruct: faultStruct(el),
    startTime: text(el, 'StartTime'),
    completeTime: text(el, 'CompleteTime'),
  }),
  GetRPCMethods: () => ({ method: 'GetRPCMethods' }),
  RequestDownload: (el) => ({
    method: 'RequestDownload',
    fileType: required(el, 'FileType'),
    fileTypeArg: childrenNamed(child(el, 'FileTypeArg'), 'ArgStruct').map((a) => ({
      name: text(a, 'Name'),
      value: text(a, 'Value'),
    })),
  }),
  DUStateChangeComplete: (el) => ({ method: 'DUStateChangeComplete', commandKey: text(el, 'CommandKey') }),
  AutonomousDUStateChangeComplete: () => ({ method: 'AutonomousDUStateChangeComplete' }),

  // ACS → CPE responses
  InformResponse: (el) => ({ method: 'InformResponse', maxEnvelopes: optUint(el, 'MaxEnvelopes', 1) }),
  TransferCompleteResponse: () => ({ method: 'TransferCompleteResponse' }),
  AutonomousTransferCompleteResponse: () => ({ method: 'AutonomousTransferCompleteResponse' }),
  RequestDownloadResponse: () => ({ method: 'RequestDownloadResponse' }),
  DUStateChangeCompleteResponse: () => ({ method: 'DUStateChangeCompleteResponse' }),
  AutonomousDUStateChangeCompleteResponse: () => ({ method: 'AutonomousDUStateChangeCompleteResponse' }),

  // ACS → CPE requests
  GetParameterNames: (el) => ({
    method: 'GetParameterNames',
    parameterPath: text(el, 'ParameterPath'),
    nextLevel: parseBool(required(el, 'NextLevel'), 'NextLevel'),
  }),
  GetParameterValues: (el) => ({ method: 'GetParameterValues', parameterNames: strings(child(el, 'ParameterNames')) }),
  SetParameterValues: (el) => ({
    method: 'SetParameterValues',
    parameterList: valueStructs(child(el, 'ParameterList')),
    parameterKey: text(el, 'ParameterKey'),
  }),
  GetParameterAttributes: (el) => ({
    method: 'GetParameterAttributes',
    parameterNames: strings(child(el, 'ParameterNames')),
  }),
  SetParameterAttributes: (el) => ({
    method: 'SetParameterAttributes',
    parameterList: childrenNamed(child(el, 'ParameterList'), 'SetParameterAttributesStruct').map((p) => ({
      name: text(p, 'Name'),
      notificationChange: parseBool(text(p, 'NotificationChange') || '0', 'NotificationChange'),
      notification: optUint(p, 'Notification'),
      accessListChange: parseBool(text(p, 'AccessListChange') || '0', 'AccessListChange'),
      accessList: strings(child(p, 'AccessList')),
    })),
  }),
  AddObject: (el) => ({
    method: 'AddObject',
    objectName: required(el, 'ObjectName'),
    parameterKey: text(el, 'ParameterKey'),
  }),
  DeleteObject: (el) => ({
    method: 'DeleteObject',
    objectName: required(el, 'ObjectName'),
    parameterKey: text(el, 'ParameterKey'),
  }),
  Reboot: (el) => ({ method: 'Reboot', commandKey: text(el, 'CommandKey') }),
  FactoryReset: () => ({ method: 'FactoryReset' }),
  Download: (el) => ({
    method: 'Download',
    commandKey: text(el, 'CommandKey'),
    fileType: required(el, 'FileType'),
    url: required(el, 'URL'),
    username: text(el, 'Username'),
    password: text(el, 'Password'),
    fileSize: optUint(el, 'FileSize'),
    targetFileName: text(el, 'TargetFileName'),
    delaySeconds: optUint(el, 'DelaySeconds'),
    successUrl: text(el, 'SuccessURL'),
    failureUrl: text(el, 'FailureURL'),
  }),
  Upload: (el) => ({
    method: 'Upload',
    commandKey: text(el, 'CommandKey'),
    fileType: required(el, 'FileType'),
    url: required(el, 'URL'),
    username: text(el, 'Username'),
    password: text(el, 'Password'),
    delaySeconds: optUint(el, 'DelaySeconds'),
  }),
  ScheduleInform: (el) => ({
    method: 'ScheduleInform',
    delaySeconds: optUint(el, 'DelaySeconds'),
    commandKey: text(el, 'CommandKey'),
  }),

  // CPE → ACS responses (GetRPCMethodsResponse serves both directions)
  GetRPCMethodsResponse: (el) => ({ method: 'GetRPCMethodsResponse', methodList: strings(child(el, 'MethodList')) }),
  GetParameterNamesResponse: (el) => ({
    method: 'GetParameterNamesResponse',
    parameterList: childrenNamed(child(el, 'ParameterList'), 'ParameterInfoStruct').map((p) => ({
      name: required(p, 'Name'),
      writable: parseBool(text(p, 'Writable') || '0', 'Writable'),
    })),
  }),
  GetParameterValuesResponse: (el) => ({
    method: 'GetParameterValuesResponse',
    parameterList: valueStructs(child(el, 'ParameterList')),
  }),
  SetParameterValuesResponse: (el) => ({ method: 'SetParameterValuesResponse', status: optUint(el, 'Status') }),
  GetParameterAttributesResponse: (el) => ({
    method: 'GetParameterAttributesResponse',
    parameterList: childrenNamed(child(el, 'ParameterList'), 'ParameterAttributeStruct').map((p) => ({
      name: required(p, 'Name'),
      notification: optUint(p, 'Notification'),
      accessList: strings(child(p, 'AccessList')),
    })),
  }),
  SetParameterAttributesResponse: () => ({ method: 'SetParameterAttributesResponse' }),
  AddObjectResponse: (el) => ({
    method: 'AddObjectResponse',
    instanceNumber: parseUint(required(el, 'InstanceNumber'), 'InstanceNumber'),
    status: optUint(el, 'Status'),
  }),
  DeleteObjectResponse: (el) => ({ method: 'DeleteObjectResponse', status: optUint(el, 'Status') }),
  RebootResponse: () => ({ method: 'RebootResponse' }),
  FactoryResetResponse: () => ({ method: 'FactoryResetResponse' }),
  DownloadResponse: (el) => ({
    method: 'DownloadResponse',
    status: optUint(el, 'Status'),
    startTime: text(el, 'StartTime'),
    completeTime: text(el, 'CompleteTime'),
  }),
  UploadResponse: (el) => ({
    method: 'UploadResponse',
    status: optUint(el, 'Status'),
    startTime: text(el, 'StartTime'),
    completeTime: text(el, 'CompleteTime'),
  }),
  ScheduleInformResponse: () => ({ method: 'ScheduleInformResponse' }),
}
