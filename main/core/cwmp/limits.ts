import type { CwmpFault } from './faults'
import type { CwmpBody, FaultStruct, ParameterValueStruct } from './types'

/**
 * Longest strings a CPE may send, in characters. From the cwmp-1-x schema (TR-069 Amendment 6,
 * Annex A) where it gives one; see docs/acs.md ("What a CPE may send"). Parameter values are
 * anySimpleType there: their length comes from the data model (TR-098/TR-181 strings are mostly
 * string(64) to string(1024)), so 16 KiB fits them with room for vendor parameters (a PEM
 * certificate is 1–3 KiB) and keeps one value far below a NATS server's max_payload.
 */
export const CWMP_LIMITS = {
  manufacturer: 64,
  oui: 6,
  productClass: 64,
  serialNumber: 64,
  eventCode: 64,
  commandKey: 32,
  parameterName: 256,
  value: 16 * 1024,
  /** MethodList entries, AccessList entries, FileType, ArgStruct Name. */
  token: 64,
  url: 1024,
  targetFileName: 256,
  argValue: 256,
  dateTime: 64,
  /**
   * FaultString is string(256) in the schema; CPEs write longer ones, and refusing a fault over
   * its wording would lose the fault itself, so it gets the room of a value.
   */
  faultString: 16 * 1024,
} as const

/** A CPE-supplied string longer than TR-069 allows; the ACS answers fault 8003 naming the field. */
export class CwmpLimitError extends Error {
  constructor(
    readonly field: string,
    readonly length: number,
    readonly max: number,
  ) {
    super(`${field} is ${length} characters long; at most ${max} are allowed (TR-069)`)
    this.name = 'CwmpLimitError'
  }
}

/**
 * Checks every string of a message a CPE sends to an ACS (its requests, its responses, faults)
 * against CWMP_LIMITS; throws CwmpLimitError for the first one that is too long. Messages an
 * ACS sends are not checked: they come from the trusted side of the bench.
 */
export function checkCpeLimits(body: CwmpBody): void {
  const L = CWMP_LIMITS
  switch (body.method) {
    case 'Inform':
      cap('DeviceId/Manufacturer', body.deviceId.manufacturer, L.manufacturer)
      cap('DeviceId/OUI', body.deviceId.oui, L.oui)
      cap('DeviceId/ProductClass', body.deviceId.productClass, L.productClass)
      cap('DeviceId/SerialNumber', body.deviceId.serialNumber, L.serialNumber)
      for (const e of body.event) {
        cap('EventStruct/EventCode', e.eventCode, L.eventCode)
        cap('EventStruct/CommandKey', e.commandKey, L.commandKey)
      }
      cap('CurrentTime', body.currentTime, L.dateTime)
      return values(body.parameterList)
    case 'TransferComplete':
      cap('CommandKey', body.commandKey, L.commandKey)
      faultStruct(body.faultStruct)
      return times(body)
    case 'AutonomousTransferComplete':
      cap('AnnounceURL', body.announceUrl, L.url)
      cap('TransferURL', body.transferUrl, L.url)
      cap('FileType', body.fileType, L.token)
      cap('TargetFileName', body.targetFileName, L.targetFileName)
      faultStruct(body.faultStruct)
      return times(body)
    case 'RequestDownload':
      cap('FileType', body.fileType, L.token)
      for (const a of body.fileTypeArg) {
        cap('ArgStruct/Name', a.name, L.token)
        cap('ArgStruct/Value', a.value, L.argValue)
      }
      return
    case 'DUStateChangeComplete':
      return cap('CommandKey', body.commandKey, L.commandKey)
    case 'GetRPCMethodsResponse':
      for (const m of body.methodList) cap('MethodList/string', m, L.token)
      return
    case 'GetParameterNamesResponse':
      for (const p of body.parameterList) cap('ParameterInfoStruct/Name', p.name, L.parameterName)
      return
    case 'GetParameterValuesResponse':
      return values(body.parameterList)
    case 'GetParameterAttributesResponse':
      for (const p of body.parameterList) {
        cap('ParameterAttributeStruct/Name', p.name, L.parameterName)
        for (const a of p.accessList) cap('AccessList/string', a, L.token)
      }
      return
    case 'DownloadResponse':
    case 'UploadResponse':
      return times(body)
    case 'Fault':
      return fault(body)
    default:
      return
  }
}

function values(list: ParameterValueStruct[]): void {
  for (const p of list) {
    cap('ParameterValueStruct/Name', p.name, CWMP_LIMITS.parameterName)
    cap(`Value of ${p.name}`, p.value, CWMP_LIMITS.value)
  }
}

function faultStruct(f: FaultStruct): void {
  cap('FaultStruct/FaultString', f.faultString, CWMP_LIMITS.faultString)
}

function fault(f: CwmpFault): void {
  cap('FaultString', f.faultString, CWMP_LIMITS.faultString)
  for (const s of f.setParameterValuesFaults ?? []) {
    cap('SetParameterValuesFault/ParameterName', s.parameterName, CWMP_LIMITS.parameterName)
    cap('SetParameterValuesFault/FaultString', s.faultString, CWMP_LIMITS.faultString)
  }
}

function times(t: { startTime: string; completeTime: string }): void {
  cap('StartTime', t.startTime, CWMP_LIMITS.dateTime)
  cap('CompleteTime', t.completeTime, CWMP_LIMITS.dateTime)
}

function cap(field: string, value: string, max: number): void {
  // UTF-16 units are never fewer than characters: count characters only when it may matter.
  if (value.length <= max) return
  const length = [...value].length
  if (length > max) throw new CwmpLimitError(field, length, max)
}
