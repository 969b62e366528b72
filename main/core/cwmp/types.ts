import type { CwmpFault } from './faults'
import type { XmlElement } from './xml'

export interface DeviceIdStruct {
  manufacturer: string
  oui: string
  productClass: string
  serialNumber: string
}

export interface EventStruct {
  /** E.g. "0 BOOTSTRAP", "1 BOOT", "M Reboot", "X VENDOR Foo". */
  eventCode: string
  commandKey: string
}

export interface ParameterValueStruct {
  name: string
  value: string
  /** As "xsd:string" etc. Defaults to xsd:string when the sender gave none. */
  type: string
}

export interface ParameterInfoStruct {
  name: string
  writable: boolean
}

export interface ParameterAttributeStruct {
  name: string
  notification: number
  accessList: string[]
}

export interface SetParameterAttributesStruct {
  name: string
  notificationChange: boolean
  notification: number
  accessListChange: boolean
  accessList: string[]
}

export interface FaultStruct {
  faultCode: number
  faultString: string
}

export interface ArgStruct {
  name: string
  value: string
}

/** The RPCs an ACS sends to a CPE, as requests, decoded. */
export type TypedAcsRequest =
  | { method: 'GetRPCMethods' }
  | { method: 'GetParameterNames'; parameterPath: string; nextLevel: boolean }
  | { method: 'GetParameterValues'; parameterNames: string[] }
  | { method: 'SetParameterValues'; parameterList: ParameterValueStruct[]; parameterKey: string }
  | { method: 'GetParameterAttributes'; parameterNames: string[] }
  | { method: 'SetParameterAttributes'; parameterList: SetParameterAttributesStruct[] }
  | { method: 'AddObject'; objectName: string; parameterKey: string }
  | { method: 'DeleteObject'; objectName: string; parameterKey: string }
  | { method: 'Reboot'; commandKey: string }
  | { method: 'FactoryReset' }
  | {
      method: 'Download'
      commandKey: string
      fileType: string
      url: string
      username: string
      password: string
      fileSize: number
      targetFileName: string
      delaySeconds: number
      successUrl: string
      failureUrl: string
    }
  | {
      method: 'Upload'
      commandKey: string
      fileType: string
      url: string
      username: string
      password: string
      delaySeconds: number
    }
  | { method: 'ScheduleInform'; delaySeconds: number; commandKey: string }

/**
 * An RPC written by hand (a script's send_cwmp_message, see raw.ts): sent as written inside the
 * ACS's own envelope and header, so vendor RPCs (X_…) and RPCs this codec does not model
 * (ChangeDUState, ScheduleDownload, CancelTransfer…) reach the CPE too.
 */
export interface RawRequest {
  method: 'Raw'
  /** Local name of the RPC element, e.g. "ChangeDUState" or "X_ACME_Diagnose". */
  name: string
  /** The RPC element, self-contained (it declares the namespaces it uses). */
  xml: string
  /** The codec's reading of it when it is an RPC the codec knows: the store learns from the answer as usual. */
  typed?: TypedAcsRequest
}

export type AcsRequest = TypedAcsRequest | RawRequest

export type AcsMethod = AcsRequest['method']

/** The CPE's answer to a RawRequest: `<name>` is the element the CPE answered with ("<RPC>Response"). */
export interface RawResponse {
  method: 'RawResponse'
  name: string
  /** The CPE's whole envelope as received; raw.ts's decodeGeneric reads the answer from it. */
  xml: string
  /** The codec's reading when the answer is one it knows (the request had `typed`). */
  typed?: TypedCpeResponse
}

/** The CPE's answers to those requests. */
export type CpeResponse = TypedCpeResponse | RawResponse

export type TypedCpeResponse =
  | { method: 'GetRPCMethodsResponse'; methodList: string[] }
  | { method: 'GetParameterNamesResponse'; parameterList: ParameterInfoStruct[] }
  | { method: 'GetParameterValuesResponse'; parameterList: ParameterValueStruct[] }
  | { method: 'SetParameterValuesResponse'; status: number }
  | { method: 'GetParameterAttributesResponse'; parameterList: ParameterAttributeStruct[] }
  | { method: 'SetParameterAttributesResponse' }
  | { method: 'AddObjectResponse'; instanceNumber: number; status: number }
  | { method: 'DeleteObjectResponse'; status: number }
  | { method: 'RebootResponse' }
  | { method: 'FactoryResetResponse' }
  | { method: 'DownloadResponse'; status: number; startTime: string; completeTime: string }
  | { method: 'UploadResponse'; status: number; startTime: string; completeTime: string }
  | { method: 'ScheduleInformResponse' }

/** Maps each ACS request to its typed response. */
export type ResponseFor<M extends AcsMethod> = Extract<CpeResponse, { method: `${M}Response` }>

/** The RPCs a CPE sends to an ACS. */
export type CpeRequest =
  | {
      method: 'Inform'
      deviceId: DeviceIdStruct
      event: EventStruct[]
      maxEnvelopes: number
      currentTime: string
      retryCount: number
      parameterList: ParameterValueStruct[]
    }
  | {
      method: 'TransferComplete'
      commandKey: string
      faultStruct: FaultStruct
      startTime: string
      completeTime: string
    }
  | {
      method: 'AutonomousTransferComplete'
      announceUrl: string
      transferUrl: string
      isDownload: boolean
      fileType: string
      fileSize: number
      targetFileName: string
      faultStruct: FaultStruct
      startTime: string
      completeTime: string
    }
  | { method: 'GetRPCMethods' }
  | { method: 'RequestDownload'; fileType: string; fileTypeArg: ArgStruct[] }
  | { method: 'DUStateChangeComplete'; commandKey: string }
  | { method: 'AutonomousDUStateChangeComplete' }

export type CpeMethod = CpeRequest['method']

/** The ACS's answers to CPE requests. */
export type AcsResponse =
  | { method: 'InformResponse'; maxEnvelopes: number }
  | { method: 'TransferCompleteResponse' }
  | { method: 'AutonomousTransferCompleteResponse' }
  | { method: 'GetRPCMethodsResponse'; methodList: string[] }
  | { method: 'RequestDownloadResponse' }
  | { method: 'DUStateChangeCompleteResponse' }
  | { method: 'AutonomousDUStateChangeCompleteResponse' }

export type CwmpBody = AcsRequest | CpeResponse | CpeRequest | AcsResponse | ({ method: 'Fault' } & CwmpFault)

/** An RPC element in a CWMP namespace that the codec does not model. */
export interface UnknownBody {
  method: 'Unknown'
  /** Local name of the element, e.g. "Kicked" or "FooBar". */
  name: string
  ns: string
  /** The element as read, for a receiver that answers methods the codec does not model. */
  element: XmlElement
}

/** Header fields of one envelope. */
export interface CwmpHeader {
  /** cwmp:ID exactly as sent, or undefined when absent. */
  id?: string
  /** ACS → CPE: the CPE must not send requests while true. */
  holdRequests?: boolean
  /** CPE → ACS (cwmp-1-0 only, deprecated later): the CPE has no more requests. */
  noMoreRequests?: boolean
  /** Session timeout hint (cwmp-1-2+), seconds. */
  sessionTimeout?: number
}
