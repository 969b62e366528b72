// The API as a whole: every area's calls, and what window.bench is.
import type { DeviceCalls } from './devices'
import type { EventCalls } from './events'
import type { ScriptCalls } from './scripts'
import type { SimCalls } from './sim'
import type { FileCalls } from './files'
import type { ProfileCalls } from './profiles'
import type { AppCalls, SettingsCalls } from './settings'
import type { SyncCalls } from './sync'
import type { BenchStreams, StreamName } from './streams'

/**
 * The API, grouped by area. Every method returns a promise; failures reject with an Error whose
 * message is written for the technician.
 */
export interface BenchCalls {
  app: AppCalls
  devices: DeviceCalls
  events: EventCalls
  scripts: ScriptCalls
  sim: SimCalls
  files: FileCalls
  /** Provisioning profiles (docs/profiles.md); a profile is given as the JSON a user writes. */
  profiles: ProfileCalls
  settings: SettingsCalls
  sync: SyncCalls
}

/** What window.bench is, whichever transport carries it. */
export interface BenchApi extends BenchCalls {
  /** Subscribes to a stream; returns the unsubscribe function. */
  on<S extends StreamName>(stream: S, listener: (batch: BenchStreams[S]) => void): () => void
  /** Connection state of the transport (always "open" over IPC). */
  onConnection(listener: (state: 'open' | 'reconnecting') => void): () => void
}
