import type { AcsMethod, CpeResponse } from '../../cwmp/types'
import type { LuaJs } from '../protocol'

/**
 * send_cwmp_message's third argument. 0 and 1 are the script API page's; the rest are ours, in
 * the order TR-069 lists the RPCs. Reads answer a table (nil, err on failure); operations answer
 * true plus what the CPE reported (false, err on failure).
 */
export const MESSAGE_TYPES: readonly { type: number; method: AcsMethod; returns: string }[] = [
  { type: 0, method: 'GetParameterValues', returns: '{[name] = value} | nil, err' },
  { type: 1, method: 'SetParameterValues', returns: 'true, status (0 applied, 1 applied after reboot) | false, err' },
  { type: 2, method: 'GetParameterNames', returns: '{[name] = writable (boolean)} | nil, err' },
  { type: 3, method: 'GetParameterAttributes', returns: '{[name] = {notification = n, access_list = {…}}} | nil, err' },
  { type: 4, method: 'SetParameterAttributes', returns: 'true | false, err' },
  { type: 5, method: 'AddObject', returns: 'true, instance_number, status | false, err' },
  { type: 6, method: 'DeleteObject', returns: 'true, status | false, err' },
  { type: 7, method: 'Reboot', returns: 'true | false, err' },
  { type: 8, method: 'FactoryReset', returns: 'true | false, err' },
  {
    type: 9,
    method: 'Download',
    returns: 'true, status (0 done, 1 TransferComplete follows), start_time, complete_time | false, err',
  },
  {
    type: 10,
    method: 'Upload',
    returns: 'true, status (0 done, 1 TransferComplete follows), start_time, complete_time | false, err',
  },
  { type: 11, method: 'ScheduleInform', returns: 'true | false, err' },
  { type: 12, method: 'GetRPCMethods', returns: '{"GetRPCMethods", …} | nil, err' },
]

const READS = new Set<AcsMethod>(['GetParameterValues', 'GetParameterNames', 'GetParameterAttributes', 'GetRPCMethods'])

/** Whether failures of this RPC answer nil (reads) rather than false (operations). */
export function isRead(method: AcsMethod): boolean {
  return READS.has(method)
}

/** The Lua values a successful answer becomes. */
export function responseValues(response: CpeResponse): LuaJs[] {
  switch (response.method) {
    case 'GetParameterValuesResponse':
      return [Object.fromEntries(response.parameterList.map((p) => [p.name, p.value]))]
    case 'GetParameterNamesResponse':
      return [Object.fromEntries(response.parameterList.map((p) => [p.name, p.writable]))]
    case 'GetParameterAttributesResponse':
      return [
        Object.fromEntries(
          response.parameterList.map((p) => [p.name, { notification: p.notification, access_list: p.accessList }]),
        ),
      ]
    case 'GetRPCMethodsResponse':
      return [response.methodList]
    case 'SetParameterValuesResponse':
      return [true, response.status]
    case 'AddObjectResponse':
      return [true, response.instanceNumber, response.status]
    case 'DeleteObjectResponse':
      return [true, response.status]
    case 'DownloadResponse':
    case 'UploadResponse':
      return [true, response.status, response.startTime, response.completeTime]
    case 'SetParameterAttributesResponse':
    case 'RebootResponse':
    case 'FactoryResetResponse':
    case 'ScheduleInformResponse':
      return [true]
  }
}
