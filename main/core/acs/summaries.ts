import type { AcsRequest, CpeResponse } from '../cwmp/types'
import { isSecretName, SECRET_MASK } from '../store/secrets'

/** A few words about an RPC for the event log's one-line summary (" (3 names)", " of A.B."). */
export function describeRequest(r: AcsRequest): string {
  switch (r.method) {
    case 'GetParameterNames':
      return ` for ${r.parameterPath || '(root)'}${r.nextLevel ? ' (next level)' : ''}`
    case 'GetParameterValues':
    case 'GetParameterAttributes':
      return ` (${names(r.parameterNames)})`
    case 'SetParameterValues':
      // A Wi-Fi key or a password is not written in a one-line summary (its SOAP body may keep it).
      return ` (${names(r.parameterList.map((p) => `${p.name}=${isSecretName(p.name) && p.value ? SECRET_MASK : p.value}`))})`
    case 'SetParameterAttributes':
      return ` (${names(r.parameterList.map((p) => p.name))})`
    case 'AddObject':
    case 'DeleteObject':
      return ` ${r.objectName}`
    case 'Download':
    case 'Upload':
      return ` ${r.fileType} ${r.url}`
    case 'ScheduleInform':
      return ` in ${r.delaySeconds} s`
    default:
      return ''
  }
}

export function describeResponse(r: CpeResponse): string {
  switch (r.method) {
    case 'GetParameterValuesResponse':
      return `: ${count(r.parameterList.length, 'value')}`
    case 'GetParameterNamesResponse':
      return `: ${count(r.parameterList.length, 'name')}`
    case 'GetParameterAttributesResponse':
      return `: ${count(r.parameterList.length, 'attribute')}`
    case 'GetRPCMethodsResponse':
      return `: ${count(r.methodList.length, 'method')}`
    case 'SetParameterValuesResponse':
    case 'DeleteObjectResponse':
      return ` (status ${r.status}${r.status === 1 ? ': applied after a reboot' : ''})`
    case 'AddObjectResponse':
      return `: instance ${r.instanceNumber} (status ${r.status})`
    case 'DownloadResponse':
    case 'UploadResponse':
      return r.status === 1 ? ' (started; TransferComplete follows)' : ' (completed)'
    default:
      return ''
  }
}

function names(list: string[]): string {
  const shown = list.slice(0, 3).join(', ')
  return list.length > 3 ? `${shown} and ${list.length - 3} more` : shown || 'none'
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
