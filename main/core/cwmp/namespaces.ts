export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/'
export const SOAP_ENC = 'http://schemas.xmlsoap.org/soap/encoding/'
export const XSD = 'http://www.w3.org/2001/XMLSchema'
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance'

export const CWMP_VERSIONS = ['cwmp-1-0', 'cwmp-1-1', 'cwmp-1-2', 'cwmp-1-3', 'cwmp-1-4'] as const
export type CwmpVersion = (typeof CWMP_VERSIONS)[number]

export const CWMP_NS_PREFIX = 'urn:dslforum-org:'

export function cwmpNamespace(version: CwmpVersion): string {
  return CWMP_NS_PREFIX + version
}

/** "urn:dslforum-org:cwmp-1-2" → "cwmp-1-2"; undefined for anything else. */
export function cwmpVersionOf(namespace: string): CwmpVersion | undefined {
  if (!namespace.startsWith(CWMP_NS_PREFIX)) return undefined
  const v = namespace.slice(CWMP_NS_PREFIX.length)
  return (CWMP_VERSIONS as readonly string[]).includes(v) ? (v as CwmpVersion) : undefined
}
