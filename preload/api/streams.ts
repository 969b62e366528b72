// Live streams: what each carries, and the allowlist of their names.
import type { DeviceView } from './devices'
import type { LoggedEvent } from './events'
import type { RunOutputLine, RunRecord } from './scripts'
import type { SimStatus } from './sim'
import type { AcsStatus } from './settings'
import type { SyncStatus } from './sync'
import type { FileFetchProgress } from './files'
import type { DryRunReport, ProfileRun } from './profiles'

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
