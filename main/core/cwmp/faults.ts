/**
 * CWMP fault codes, TR-069 Amendment 6 table 16 (ACS, 8xxx) and table 17 (CPE, 9xxx), with the
 * SOAP faultcode each one travels with ("Client" when the request was at fault).
 */
export const ACS_FAULTS = {
  8000: ['Method not supported', 'Server'],
  8001: ['Request denied (no reason specified)', 'Server'],
  8002: ['Internal error', 'Server'],
  8003: ['Invalid arguments', 'Client'],
  8004: ['Resources exceeded', 'Server'],
  8005: ['Retry request', 'Server'],
} as const satisfies Record<number, readonly [string, 'Client' | 'Server']>

export const CPE_FAULTS = {
  9000: ['Method not supported', 'Server'],
  9001: ['Request denied (no reason specified)', 'Server'],
  9002: ['Internal error', 'Server'],
  9003: ['Invalid arguments', 'Client'],
  9004: ['Resources exceeded', 'Server'],
  9005: ['Invalid parameter name', 'Client'],
  9006: ['Invalid parameter type', 'Client'],
  9007: ['Invalid parameter value', 'Client'],
  9008: ['Attempt to set a non-writable parameter', 'Client'],
  9009: ['Notification request rejected', 'Server'],
  9010: ['File transfer failure', 'Server'],
  9011: ['Upload failure', 'Server'],
  9012: ['File transfer server authentication failure', 'Server'],
  9013: ['Unsupported protocol for file transfer', 'Server'],
  9014: ['File transfer failure: unable to join multicast group', 'Server'],
  9015: ['File transfer failure: unable to contact file server', 'Server'],
  9016: ['File transfer failure: unable to access file', 'Server'],
  9017: ['File transfer failure: unable to complete download', 'Server'],
  9018: ['File transfer failure: file corrupted', 'Server'],
  9019: ['File transfer failure: file authentication failure', 'Server'],
  9020: ['File transfer failure: unable to complete download within specified time window', 'Server'],
  9021: ['Cancelation of file transfer not permitted in current transfer state', 'Client'],
  9022: ['Invalid UUID format', 'Client'],
  9023: ['Unknown Execution Environment', 'Client'],
  9024: ['Disabled Execution Environment', 'Client'],
  9025: ['Deployment Unit to Execution Environment mismatch', 'Client'],
  9026: ['Duplicate Deployment Unit', 'Client'],
  9027: ['System resources exceeded', 'Server'],
  9028: ['Unknown Deployment Unit', 'Client'],
  9029: ['Invalid Deployment Unit state', 'Client'],
  9030: ['Invalid Deployment Unit Update: downgrade not permitted', 'Client'],
  9031: ['Invalid Deployment Unit Update: version not specified', 'Client'],
  9032: ['Invalid Deployment Unit Update: version already exists', 'Client'],
} as const satisfies Record<number, readonly [string, 'Client' | 'Server']>

export type AcsFaultCode = keyof typeof ACS_FAULTS
export type CpeFaultCode = keyof typeof CPE_FAULTS

/** The spec's meaning of a fault code; vendor codes (9800–9899) and unknown ones get a generic text. */
export function faultMeaning(code: number): string {
  const known =
    (ACS_FAULTS as Record<number, readonly [string, string]>)[code] ??
    (CPE_FAULTS as Record<number, readonly [string, string]>)[code]
  if (known) return known[0]
  if (code >= 9800 && code <= 9899) return 'Vendor-specific fault'
  if (code >= 8800 && code <= 8899) return 'Vendor-specific ACS fault'
  return 'Unknown fault'
}

export function faultSoapCode(code: number): 'Client' | 'Server' {
  const known =
    (ACS_FAULTS as Record<number, readonly [string, 'Client' | 'Server']>)[code] ??
    (CPE_FAULTS as Record<number, readonly [string, 'Client' | 'Server']>)[code]
  return known ? known[1] : 'Server'
}

export interface SetParameterValuesFault {
  parameterName: string
  faultCode: number
  faultString: string
}

/** A fault as carried in a cwmp:Fault element. */
export interface CwmpFault {
  faultCode: number
  faultString: string
  setParameterValuesFaults?: SetParameterValuesFault[]
}

/** Thrown or returned when a CPE answers an RPC with a fault. */
export class CwmpFaultError extends Error {
  constructor(readonly fault: CwmpFault) {
    super(`CWMP fault ${fault.faultCode} (${faultMeaning(fault.faultCode)}): ${fault.faultString}`)
    this.name = 'CwmpFaultError'
  }
  get code(): number {
    return this.fault.faultCode
  }
}
