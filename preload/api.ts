/**
 * THE API contract between the UI and the core: every call and every event stream the renderer
 * may use, with their types. Electron carries it over IPC (preload/index.ts), the headless server
 * over a WebSocket (renderer/bridge.ts); main/api implements it once for both. Types only, plus the
 * allowlists of channel and stream names that both transports check.
 */
import type {
  DeviceRecord,
  EventKind,
  LoggedEvent,
  ParameterRecord,
  SessionMessage,
  Severity,
} from '../main/core/store/types'
import type { RpcInfo } from '../main/core/acs/types'
import type { DeviceCapabilities, UnstableMark } from '../main/core/acs/capabilities'
import type { CheckEvidence, CheckOutcome, CheckReport, CheckResult } from '../main/core/check/types'
import type { DevicePolicy, DevicePolicyPatch } from '../main/core/acs/device-policy'

export type { DevicePolicy, DevicePolicyPatch }
import type { ScriptApiEntry } from '../main/core/lua/host/index'
import type { FileFetch, FileFetchProgress, LibraryFile } from '../main/core/files/types'
import type { ProfileRecord, ProfileRun, ProvisioningState } from '../main/core/profiles/types'
import type { DryRunOutcome, DryRunReport, DryRunStep, DryRunTarget } from '../main/core/dry-run/types'
export { EVENT_KINDS } from '../common/event-kinds'
import type {
  BatchProgress,
  EnvInput,
  EnvVariable,
  RunOutputLine,
  RunRecord,
  RunStatus,
  RunTarget,
  ScriptEnv,
  ScriptRecord,
  ScriptSummary as LuaScriptSummary,
  ScriptVersion,
  TriggerInput,
  TriggerRecord,
} from '../main/core/scripts/types'
import type {
  SyncSettings,
  SyncSettingsPatch,
  SyncStatus,
  SyncTargetName,
  SyncTargetStatus,
} from '../main/core/sync/types'

export type { EventKind, LoggedEvent, ParameterRecord, SessionMessage, Severity, RpcInfo }
export type { DeviceCapabilities, UnstableMark }
export type { CheckEvidence, CheckOutcome, CheckReport, CheckResult }
export type { FileFetch, FileFetchProgress, LibraryFile }
export type { ProfileRecord, ProfileRun, ProvisioningState }
export type { DryRunOutcome, DryRunReport, DryRunStep, DryRunTarget }
export type { SyncSettings, SyncSettingsPatch, SyncStatus, SyncTargetName, SyncTargetStatus }

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

export interface AppInfo {
  version: string
  /** Which shell carries the API. */
  shell: 'electron' | 'browser'
  dataDir: string
  /** Which services this build has running; pages for missing ones say so instead of failing. */
  services: { acs: boolean; scripts: boolean; sim: boolean; sync: boolean }
}

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

export interface EventFilter {
  /** Case-insensitive substring of the device serial. */
  serial?: string
  kinds?: EventKind[]
  /** Minimum severity. */
  severity?: Severity
  /** Case-insensitive substring of the summary. */
  text?: string
}

/** Who sent an RPC, as the Events page shows it. */
export interface EventSource {
  /** 'script "Wi-Fi setup"', 'deleted script (was "X")', or the source as stored ("ui"). */
  label: string
  /** The script to link to, when it still exists. */
  scriptId?: string
  runId?: string
  deleted?: boolean
}

export interface EventPageQuery extends EventFilter {
  /** Events older than this seq (paging back from the newest). */
  beforeSeq?: number
  /** At most 1000 per page. */
  limit?: number
}

export interface EventPage {
  /** Newest first. */
  rows: LoggedEvent[]
  /** Events matching the filter, in all. */
  total: number
}

export interface SoapBodies {
  soapIn: string | null
  soapOut: string | null
}

export interface ExportResult {
  fileName: string
  mimeType: string
  content: string
  rows: number
  /** True when the export stopped at the row cap. */
  truncated: boolean
}

/** Settings a technician edits; persisted in the settings table and applied at once. */
export interface SettingsView {
  acs: {
    port: number
    bind: string
    /** PEM files for HTTPS; empty for plain HTTP. */
    tlsCertFile: string
    tlsKeyFile: string
    authMode: 'none' | 'basic' | 'digest'
    authUsername: string
    /**
     * Secrets are never sent to the UI: a set password reads as SECRET_PLACEHOLDER, an unset one as
     * "". Saving the placeholder back keeps the stored password; any other value replaces it, "" clears it.
     */
    authPassword: string
    /** cwmp.keepSecretsInLog: stored SOAP bodies keep secrets as sent (local log only; synced records stay masked). */
    keepSecretsInLog: boolean
  }
  /** The password as authPassword: the placeholder when set. */
  connectionRequest: { username: string; password: string }
  /** As a script's limits (docs/scripting.md): wall time in ms (0: none), worker memory in MiB. */
  scripts: { wallMs: number; memoryMb: number }
  /** The file library: its largest file, bytes (1 MiB to 64 GiB). */
  files: { maxBytes: number }
  /** What the database keeps (docs/retention.md): days of each history (0: no age limit), cap in MiB (0: none). */
  retention: { eventsDays: number; runsDays: number; fetchesDays: number; maxMb: number; convertBelowMb: number }
}

export type SettingsPatch = {
  [K in keyof SettingsView]?: Partial<SettingsView[K]>
}

export interface AcsStatus {
  listening: boolean
  /** Where CPEs should point their ACS URL: one per LAN address of this machine. */
  urls: string[]
  port: number
  bind: string
  tls: boolean
  /** Why the listener is not running, when it is not. */
  error?: string
}

export interface SettingsSaveResult {
  settings: SettingsView
  acs: AcsStatus
  /** What changed that the user should know, e.g. "The ACS listener restarted on port 7548." */
  notes: string[]
  /** What went wrong applying them, e.g. the new port is in use. */
  warnings: string[]
}

// ---- scripts (types of the script library and runs, main/core/scripts) ----

export type {
  BatchProgress,
  EnvInput,
  EnvVariable,
  ScriptEnv,
  ScriptRecord,
  ScriptVersion,
  RunTarget,
  RunRecord,
  RunStatus,
  RunOutputLine,
  TriggerRecord,
  TriggerInput,
}
export type ScriptSummary = LuaScriptSummary

/** A syntax error at a line, for the editor's markers; an empty list when the script compiles. */
export interface SyntaxIssue {
  line: number
  column?: number
  message: string
}

export interface RunQuery {
  scriptId?: string
  /** Only runs still queued or running (listeners included), across all scripts. */
  active?: boolean
  /** With active: false leaves out the runs of batches (the Running tab shows each batch as one row). */
  inBatch?: false
  limit?: number
}

// ---- simulator ----

export interface SimStartRequest {
  count: number
  model: string
  serialPrefix?: string
  periodicInformInterval?: number
}

import type { SimModel, SimStatus } from '../main/core/sim/service'

export type { SimStatus, SimModel }

/** What the Simulator page sends to inject faults; missing fields mean "none". */
export interface SimFaultsInput {
  offline?: boolean
  refuse?: { method: string; faultCode: number; faultString?: string }[]
  answerDelayMs?: number
}

export interface LibraryAddOptions {
  /** firmware (default), config, web, tone, ringer, vendor-log, or a TR-069 FileType. */
  type?: string
  version?: string
  productClass?: string
  description?: string
}

/** A file the technician picked in the UI, as the core stored it (see main/core/picked-files.ts). */
export interface PickedFile {
  /** The name it had where it was picked. */
  name: string
  /** Where the bench keeps its copy: what file settings take. */
  path: string
}

/**
 * The API, grouped by area. Every method returns a promise; failures reject with an Error whose
 * message is written for the technician.
 */
export interface BenchCalls {
  app: {
    info(): Promise<AppInfo>
  }
  devices: {
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
  events: {
    page(query: EventPageQuery): Promise<EventPage>
    soap(seq: number): Promise<SoapBodies | null>
    /** Every row of one CWMP session, oldest first (at most 1000). */
    session(sessionId: string): Promise<LoggedEvent[]>
    /** One SOAP body a grouped session row holds (detail.messages[].ref); null when it has no such body. */
    body(seq: number, ref: number): Promise<string | null>
    /** Who sent RPCs ("ui", "script:<run id>"…), in words, resolved now (a renamed script's new name). */
    sources(sources: string[]): Promise<Record<string, EventSource>>
    export(filter: EventFilter, format: 'csv' | 'json'): Promise<ExportResult>
  }
  scripts: {
    list(): Promise<ScriptSummary[]>
    get(id: string): Promise<ScriptRecord | null>
    create(name: string, source?: string): Promise<ScriptRecord>
    save(id: string, source: string): Promise<ScriptRecord>
    rename(id: string, name: string): Promise<ScriptRecord>
    duplicate(id: string): Promise<ScriptRecord>
    remove(id: string): Promise<boolean>
    /** Earlier versions, newest first. */
    versions(id: string): Promise<ScriptVersion[]>
    check(source: string): Promise<SyntaxIssue[]>
    /** Every function a script can call, with an example, and send_cwmp_message's type numbers. */
    api(): Promise<ScriptApiReference>
    /**
     * One run per device (or one with no device); resolves once they are queued. `env`: the
     * environment (id or name) the script reads as `env`; absent: the default one, if any.
     */
    run(id: string, target: RunTarget, env?: string): Promise<RunRecord[]>
    stop(runId: string): Promise<boolean>
    /** Stops the rest of a batch (its queued runs at once); how many runs were still active. */
    stopBatch(batchId: string): Promise<number>
    /** Batches with runs active, and those that ended lately, with their counts; newest first. */
    batches(): Promise<BatchProgress[]>
    runs(query: RunQuery): Promise<RunRecord[]>
    output(runId: string): Promise<RunOutputLine[]>
    triggers(scriptId: string): Promise<TriggerRecord[]>
    /** Replaces the script's triggers: those with an id are updated, the others created, the rest removed. */
    setTriggers(scriptId: string, triggers: (TriggerInput & { id?: string })[]): Promise<TriggerRecord[]>
    /** Environments by name; secret values show as the settings' placeholder (write-only). */
    envs(): Promise<ScriptEnv[]>
    /**
     * Creates (id null) or replaces an environment. A secret sent back with the placeholder keeps
     * its stored value; isDefault makes it the environment of triggers and runs that name none.
     */
    saveEnv(id: string | null, env: EnvInput): Promise<ScriptEnv>
    removeEnv(id: string): Promise<boolean>
  }
  sim: {
    models(): Promise<SimModel[]>
    status(): Promise<SimStatus>
    start(request: SimStartRequest): Promise<SimStatus>
    stop(): Promise<SimStatus>
    /** Injects faults into one running simulated CPE ({} clears them): docs/simulator.md. */
    faults(serial: string, faults: SimFaultsInput): Promise<SimStatus>
    /**
     * Changes a value on a running simulated CPE as its user would, not the ACS: with Notification
     * 2 it informs "4 VALUE CHANGE" at once, with 1 at its next session (TR-069 3.2.1).
     */
    changeValue(serial: string, name: string, value: string): Promise<{ notification: number }>
  }
  files: {
    /**
     * Keeps a copy of a file the technician chose (its text content) and returns the path to give
     * to settings: file settings take no other path than these, "" or the one in effect.
     */
    upload(name: string, content: string): Promise<PickedFile>
    /** The file library (firmware, configurations, device uploads), newest first. */
    list(): Promise<LibraryFile[]>
    /**
     * Adds a small file to the library from its content (base64: the browser gives bytes, not
     * paths). A call carries at most 4 MiB, so about 3 MB of file; any size up to files.maxBytes
     * goes through addBegin / addChunk / addEnd.
     */
    add(name: string, contentBase64: string, options?: LibraryAddOptions): Promise<LibraryFile>
    /** Starts adding a file of `size` bytes in pieces: checks name, type and the size cap first. */
    addBegin(name: string, size: number, options?: LibraryAddOptions): Promise<{ id: string; maxBytes: number }>
    /** The next piece (base64, at most ~3 MB of bytes) at byte `offset`; pieces come in order. */
    addChunk(id: string, offset: number, contentBase64: string): Promise<{ received: number }>
    /** All bytes came: the file takes its name in the library (atomically). */
    addEnd(id: string): Promise<LibraryFile>
    /** Stops an add; what it received is deleted. An add idle for 2 minutes is cancelled by itself. */
    addCancel(id: string): Promise<void>
    /** Removes a library file; fetches under way are cut off. */
    remove(name: string): Promise<LibraryFile>
    /** The fetch log (all files, or one), newest first. */
    fetches(name?: string): Promise<FileFetch[]>
    /** Sends a library file to a device (Download RPC); resolves once the device accepted it. */
    download(serial: string, name: string): Promise<{ commandKey: string; status: number }>
    /** Has a device upload its configuration ("config") or log ("log") into the library. */
    backup(serial: string, type?: string): Promise<{ commandKey: string; status: number }>
  }
  /** Provisioning profiles (docs/profiles.md); a profile is given as the JSON a user writes. */
  profiles: {
    list(): Promise<ProfileRecord[]>
    /** Creates a profile, or saves a new version of the one with its name; bad input changes nothing. */
    save(profile: unknown): Promise<ProfileRecord>
    setEnabled(name: string, enabled: boolean): Promise<ProfileRecord>
    remove(name: string): Promise<void>
    /** The shared file of one profile, or all: JSON, or YAML with format "yaml". */
    export(name?: string, format?: 'json' | 'yaml'): Promise<string>
    /** A shared file, JSON or YAML (told by fileName's extension, else by the content). */
    import(content: string, fileName?: string): Promise<ProfileRecord[]>
    /** Runs, newest first: of a device, of a profile, or all. */
    runs(query?: { serial?: string; profile?: string; limit?: number }): Promise<ProfileRun[]>
    /** Each device's provisioning state (its latest run's): the device list's column. */
    states(): Promise<Record<string, ProvisioningState>>
    /** Runs a profile by hand on devices; returns the run ids. */
    run(name: string, serials: string[]): Promise<string[]>
    /** Stops runs that have not ended (queued ones run no step; a step in flight is cut short); returns how many. */
    stop(runIds: string[]): Promise<number>
    /** When each profile with a schedule runs next (ms since the epoch), by profile id. */
    nextScheduled(): Promise<Record<string, number>>
    /**
     * Dry-runs a profile (a saved one by name, or a definition) on one temporary simulated CPE of
     * the target's model — a device's (with its stored values), a product class, or by default the
     * profile's match — in a bench of its own; the device itself is not contacted and nothing is
     * stored. Resolves with each step's outcome; progress on the profiles.dryRuns stream. One at a time.
     */
    dryRun(profile: unknown, target?: DryRunTarget): Promise<DryRunReport>
    /** Stops the dry run under way; false when there is none. */
    stopDryRun(): Promise<boolean>
  }
  settings: {
    get(): Promise<SettingsView>
    save(patch: SettingsPatch): Promise<SettingsSaveResult>
    acsStatus(): Promise<AcsStatus>
  }
  sync: {
    status(): Promise<SyncStatus>
    /** Secrets come back as a placeholder; sending the placeholder back keeps the stored secret. */
    settings(): Promise<SyncSettings>
    configure(patch: SyncSettingsPatch): Promise<SyncSettings>
    pause(target?: SyncTargetName): Promise<SyncStatus>
    resume(target?: SyncTargetName): Promise<SyncStatus>
    syncNow(target?: SyncTargetName): Promise<SyncStatus>
    /** Sends quarantined rows again (a target's, or the one with this outbox seq). */
    retryQuarantined(target?: SyncTargetName, seq?: number): Promise<SyncStatus>
  }
}

/** The script API reference: bench.scripts.api() in the core, shown by the editor. */
export interface ScriptApiReference {
  functions: readonly ScriptApiEntry[]
  /** send_cwmp_message's types: what each makes the call return. */
  messageTypes: readonly { type: string; meaning: string; returns: string }[]
}

/** Live streams. Payloads arrive in batches (arrays), at most a few per second per stream. */
export interface BenchStreams {
  /** Devices that were created or changed, latest state each. */
  'devices.updated': DeviceView[]
  /** Parameters of a device changed in the store. */
  'parameters.updated': { serial: string; names: string[]; removedPrefixes: string[] }[]
  /** Rows appended to the event log, oldest first. */
  'events.logged': LoggedEvent[]
  /** Rows written earlier that changed (a routine session's row as the session goes on), latest state each. */
  'events.updated': LoggedEvent[]
  /** RPC queue of these devices changed. */
  'rpcs.changed': { serial: string }[]
  'scripts.output': RunOutputLine[]
  'scripts.runs': RunRecord[]
  /** The script library changed (created, saved, renamed, removed). */
  'scripts.changed': { id: string }[]
  'sim.status': SimStatus[]
  'acs.status': AcsStatus[]
  'sync.status': SyncStatus[]
  /** Fetches from the file server: started, each whole percent, complete or cut off (latest per fetch). */
  'files.progress': FileFetchProgress[]
  /** The file library changed (added, removed). */
  'files.changed': { name: string; removed: boolean }[]
  /** Profile runs that started, finished a step or ended (latest state per run). */
  'profiles.runs': ProfileRun[]
  /** Dry runs under way: their report each time it changes (latest per dry run). */
  'profiles.dryRuns': DryRunReport[]
  /** Script environments changed (created, saved, deleted): read the list again (secrets stay masked). */
  'scripts.envs': { id: string; removed: boolean }[]
}

export type StreamName = keyof BenchStreams

type Channels<T> = {
  [N in keyof T & string]: { [M in keyof T[N] & string]: `${N}.${M}` }[keyof T[N] & string]
}[keyof T & string]

/** "area.method" for every call. */
export type Channel = Channels<BenchCalls>

/** The allowlist both transports enforce: a channel not listed here is refused. */
export const CHANNELS = [
  'app.info',
  'devices.list',
  'devices.get',
  'devices.remove',
  'devices.children',
  'devices.searchParameters',
  'devices.refresh',
  'devices.setParameters',
  'devices.addObject',
  'devices.deleteObject',
  'devices.reboot',
  'devices.factoryReset',
  'devices.download',
  'devices.wake',
  'devices.rpcs',
  'devices.cancelRpc',
  'devices.retryRpc',
  'devices.capabilities',
  'devices.check',
  'devices.trust',
  'devices.setTrust',
  'devices.setAlias',
  'devices.tags',
  'devices.bulk',
  'devices.exportCsv',
  'events.page',
  'events.soap',
  'events.session',
  'events.body',
  'events.sources',
  'events.export',
  'scripts.list',
  'scripts.get',
  'scripts.create',
  'scripts.save',
  'scripts.rename',
  'scripts.duplicate',
  'scripts.remove',
  'scripts.versions',
  'scripts.check',
  'scripts.api',
  'scripts.run',
  'scripts.stop',
  'scripts.stopBatch',
  'scripts.batches',
  'scripts.runs',
  'scripts.output',
  'scripts.triggers',
  'scripts.setTriggers',
  'scripts.envs',
  'scripts.saveEnv',
  'scripts.removeEnv',
  'sim.models',
  'sim.status',
  'sim.start',
  'sim.stop',
  'sim.faults',
  'sim.changeValue',
  'files.upload',
  'files.list',
  'files.add',
  'files.addBegin',
  'files.addChunk',
  'files.addEnd',
  'files.addCancel',
  'files.remove',
  'files.fetches',
  'files.download',
  'files.backup',
  'profiles.list',
  'profiles.save',
  'profiles.setEnabled',
  'profiles.remove',
  'profiles.export',
  'profiles.import',
  'profiles.runs',
  'profiles.states',
  'profiles.run',
  'profiles.stop',
  'profiles.nextScheduled',
  'profiles.dryRun',
  'profiles.stopDryRun',
  'settings.get',
  'settings.save',
  'settings.acsStatus',
  'sync.status',
  'sync.settings',
  'sync.configure',
  'sync.pause',
  'sync.resume',
  'sync.syncNow',
  'sync.retryQuarantined',
] as const satisfies readonly Channel[]

// Fails to compile when a method of BenchCalls is missing from CHANNELS.
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>
const _allChannelsListed: [Missing] extends [never] ? true : Missing = true
void _allChannelsListed

export const STREAMS = [
  'devices.updated',
  'parameters.updated',
  'events.logged',
  'events.updated',
  'rpcs.changed',
  'scripts.output',
  'scripts.runs',
  'scripts.changed',
  'sim.status',
  'acs.status',
  'sync.status',
  'files.progress',
  'files.changed',
  'profiles.runs',
  'profiles.dryRuns',
  'scripts.envs',
] as const satisfies readonly StreamName[]

type MissingStream = Exclude<StreamName, (typeof STREAMS)[number]>
const _allStreamsListed: [MissingStream] extends [never] ? true : MissingStream = true
void _allStreamsListed

/** The arguments and result of one channel. */
export type CallArgs<C extends Channel> = C extends `${infer N}.${infer M}`
  ? N extends keyof BenchCalls
    ? M extends keyof BenchCalls[N]
      ? BenchCalls[N][M] extends (...args: infer A) => unknown
        ? A
        : never
      : never
    : never
  : never

export type CallResult<C extends Channel> = C extends `${infer N}.${infer M}`
  ? N extends keyof BenchCalls
    ? M extends keyof BenchCalls[N]
      ? BenchCalls[N][M] extends (...args: never[]) => Promise<infer R>
        ? R
        : never
      : never
    : never
  : never

/** What window.bench is, whichever transport carries it. */
export interface BenchApi extends BenchCalls {
  /** Subscribes to a stream; returns the unsubscribe function. */
  on<S extends StreamName>(stream: S, listener: (batch: BenchStreams[S]) => void): () => void
  /** Connection state of the transport (always "open" over IPC). */
  onConnection(listener: (state: 'open' | 'reconnecting') => void): () => void
}

/** What crosses the wire for one call: errors are values, so both transports carry them alike. */
export type CallReply = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } }

/** IPC channel names (Electron). */
export const IPC = {
  call: (channel: Channel) => `bench:${channel}`,
  subscribe: 'bench-subscribe',
  stream: 'bench-stream',
} as const

/**
 * Calls one WebSocket client may have running at once. The server refuses more with an error named
 * BUSY_ERROR; the browser bridge (renderer/bridge.ts) holds its own calls back so it never gets one.
 */
export const MAX_CALLS_IN_FLIGHT = 64
export const BUSY_ERROR = 'BusyError'

/** WebSocket messages (headless). */
export type WsClientMessage =
  { type: 'call'; id: number; channel: string; args: unknown[] } | { type: 'subscribe'; stream: string; on: boolean }
export type WsServerMessage =
  { type: 'reply'; id: number; reply: CallReply } | { type: 'stream'; stream: string; batch: unknown }
