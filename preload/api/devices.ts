// Devices: the list and its filters, one device's parameters and actions, bulk actions.
import type { DeviceRecord, ParameterRecord } from '../../main/core/store/types'
import type { RpcInfo } from '../../main/core/acs/types'
import type { DeviceCapabilities, UnstableMark } from '../../main/core/acs/capabilities'
import type { CheckEvidence, CheckOutcome, CheckReport, CheckResult } from '../../main/core/check/types'
import type { DevicePolicy, DevicePolicyPatch } from '../../main/core/acs/device-policy'
import type { ProvisioningState } from '../../main/core/profiles/types'

export type { DevicePolicy, DevicePolicyPatch }
export type { ParameterRecord, RpcInfo }
export type { DeviceCapabilities, UnstableMark }
export type { CheckEvidence, CheckOutcome, CheckReport, CheckResult }

/**
 * A device as the UI sees it: never the connection request password; `status` is 0 offline,
 * 1 in session (a CWMP session with the ACS is open right now), 2 online.
 */
export type DeviceView = Omit<DeviceRecord, 'connectionRequestPassword'> & {
  /** Tags the technician put on the device, sorted. */
  tags: string[]
  /** One of the bench's own simulated CPEs (`bench-acs sim`, the Simulator page). */
  simulated: boolean
}

/** Devices a bulk action works on: named ones, or every device a filter matches (resolved on the server). */
export type DeviceSelection = { serials: string[] } | { query: DeviceQuery }

/** What a bulk action does to each selected device. Scripts and reboots run as one script batch. */
export type BulkAction =
  | { kind: 'reboot' }
  | { kind: 'script'; scriptId: string }
  | { kind: 'profile'; profile: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'untag'; tag: string }

export interface BulkResult {
  /** Devices the action was started on (or tagged / untagged). */
  devices: number
  /** The script batch (scripts.batches, scripts.stopBatch) for reboots and scripts; else null. */
  batchId: string | null
  /** A profile's runs started (profiles.runs streams how each ends). */
  profileRunIds?: string[]
  message: string
}

/** Columns of the device list (and of its CSV export), in their order. */
export const DEVICE_COLUMNS = [
  'serial',
  'alias',
  'tags',
  'manufacturer',
  'model',
  'softwareVersion',
  'ip',
  'status',
  'lastInform',
  'provisioning',
] as const
export type DeviceColumn = (typeof DEVICE_COLUMNS)[number]

export interface DeviceQuery {
  /** Case-insensitive substring of serial, alias, model, vendor, software version or IP. */
  text?: string
  /** 0 offline, 1 in session, 2 online. */
  status?: 0 | 1 | 2
  /** Only devices whose latest profile run is in this state (profiles.states). */
  provisioning?: ProvisioningState
  /** Only devices with this tag. */
  tag?: string
  offset?: number
  /** At most 1000 rows per page. */
  limit?: number
  sort?: 'serial' | 'manufacturer' | 'model' | 'softwareVersion' | 'ip' | 'status' | 'lastInform'
  descending?: boolean
}

export interface DevicePage {
  /** Devices matching the filter, in all. */
  total: number
  offset: number
  rows: DeviceView[]
}

export interface ParameterTypeInfo {
  /** e.g. "xsd:unsignedInt"; what the CPE reported. */
  type: string
}

export interface SetParameterRequest {
  name: string
  value: string
  /** xsd type to send; defaults to the stored type, else xsd:string. */
  type?: string
}

export interface DownloadRequest {
  url: string
  /** "1 Firmware Upgrade Image", "3 Vendor Configuration File", … */
  fileType: string
  username?: string
  password?: string
  fileSize?: number
  targetFileName?: string
  delaySeconds?: number
}

/** The result of an action sent to a device: what the CPE answered, in words, for the UI. */
export interface ActionResult {
  ok: boolean
  message: string
  /**
   * What the device still has to report for the action to be over, once it was accepted: the
   * "1 BOOT" of a reboot, the "0 BOOTSTRAP" after a factory reset, the TransferComplete of a
   * download (with `commandKey`). The device page waits for it and says how the action ended.
   */
  awaits?: 'boot' | 'bootstrap' | 'transfer'
  /** The CommandKey sent with a Reboot or Download; the device reports it back. */
  commandKey?: string
}

export interface ExportResult {
  fileName: string
  mimeType: string
  content: string
  rows: number
  /** True when the export stopped at the row cap. */
  truncated: boolean
}

export interface DeviceCalls {
  list(query: DeviceQuery): Promise<DevicePage>
  get(serial: string): Promise<DeviceView | null>
  remove(serial: string): Promise<boolean>
  /** Direct children of an object path ("" for the roots), as stored. */
  children(serial: string, parent: string): Promise<ParameterRecord[]>
  /** Parameters whose name or value contains the text. */
  searchParameters(serial: string, text: string): Promise<ParameterRecord[]>
  /** Asks the CPE for a subtree: GetParameterNames, then GetParameterValues; updates the store. */
  refresh(serial: string, path: string): Promise<ActionResult>
  setParameters(serial: string, values: SetParameterRequest[]): Promise<ActionResult>
  /** AddObject on a writable multi-instance object path ("….WANIPConnection."). */
  addObject(serial: string, path: string): Promise<ActionResult>
  /** DeleteObject of one instance ("….WANIPConnection.2."). */
  deleteObject(serial: string, path: string): Promise<ActionResult>
  reboot(serial: string): Promise<ActionResult>
  factoryReset(serial: string): Promise<ActionResult>
  download(serial: string, request: DownloadRequest): Promise<ActionResult>
  /** Wakes the device with a connection request. */
  wake(serial: string): Promise<ActionResult>
  /** Queued, in-flight and recently finished RPCs of a device, newest first. */
  rpcs(serial: string): Promise<RpcInfo[]>
  /** Cancels a queued RPC, or stops waiting for one the device has (it may still carry it out). */
  cancelRpc(serial: string, rpcId: string): Promise<ActionResult>
  /** Sends a failed RPC again and resolves with its outcome; clears an unstable mark on that request. */
  retryRpc(serial: string, rpcId: string): Promise<ActionResult>
  /** What the ACS learned about how the device behaves (partial paths, cookies, unstable, …). */
  capabilities(serial: string): Promise<DeviceCapabilities>
  /**
   * Runs the CPE check (docs/check.md) and resolves with its report, minutes later when the device
   * reboots slowly. FactoryReset only with factoryReset: true.
   */
  check(serial: string, options?: { factoryReset?: boolean; probePartialPaths?: boolean }): Promise<CheckReport>
  /** What the ACS trusts about the device beyond what it says of itself (docs/security.md). */
  trust(serial: string): Promise<DevicePolicy>
  /** The technician's choices; an absent field is left, false / "" clears one. Logged as a security event. */
  setTrust(serial: string, patch: DevicePolicyPatch): Promise<DevicePolicy>
  /** Sets the alias the technician gives a device ("" clears it); searchable in the list. */
  setAlias(serial: string, alias: string): Promise<DeviceView>
  /** Every tag in use, with how many devices carry it. */
  tags(): Promise<{ tag: string; devices: number }[]>
  /** Runs a script, a profile or a reboot on the selection, or tags / untags it. */
  bulk(selection: DeviceSelection, action: BulkAction): Promise<BulkResult>
  /** The whole filtered list (not only the rows on screen) as CSV with these columns. */
  exportCsv(query: DeviceQuery, columns: DeviceColumn[]): Promise<ExportResult>
}
