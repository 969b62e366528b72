export * from './types'
export * from './faults'
export * from './namespaces'
export { encodeEnvelope, encodeBody, encodeFault } from './encode'
export { decodeEnvelope, CwmpDecodeError, type DecodedEnvelope, type UnknownBody } from './decode'
export { parseXml, XmlError, escapeXml, DEFAULT_XML_LIMITS, type XmlElement, type XmlLimits } from './xml'
export * from './auth'
export { downloadRequest, type DownloadRequest } from './requests'
export {
  ACS_METHODS,
  CPE_METHODS,
  classify,
  requestFacts,
  requestOf,
  rpcName,
  type CpeMessage,
  type MessageKind,
} from './methods'
export { decodeGeneric, readRawRequest, RawRequestError, type GenericValue } from './raw'
