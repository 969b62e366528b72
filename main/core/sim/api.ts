import type { CwmpVersion } from '../cwmp/namespaces'
import type { CpeFaults } from './faults'
import type { ModelDefinition } from './model/definition'

/**
 * The simulator's public surface, fixed up front so the ACS tests, the Lua tests, the UI's
 * Simulator page and the `bench-acs sim` command can all be written against it.
 */
export interface SimOptions {
  /** The ACS URL the CPEs inform to, e.g. http://127.0.0.1:7547/ */
  acsUrl: string
  /** Number of CPEs (default 1). */
  count?: number
  /** Data model: "tr098" | "tr181" (built-in, from resources/models) or a path to a CSV/JSON model file. */
  model?: string
  /** A model already built, instead of `model` (a profile's dry run builds one from a device's stored values). */
  definition?: ModelDefinition
  /** Serial numbers are `${serialPrefix}${index}`, index from 1 zero-padded to 6 digits (default "SIM"). */
  serialPrefix?: string
  /** The serial of the one CPE (count 1), instead of prefix and index: a dry run's stand-in for a real device. */
  serial?: string
  /** Index of the first CPE (default 1), so that several fleets can share one ACS without clashing. */
  firstIndex?: number
  /** Seconds between PERIODIC informs (default: the model's PeriodicInformInterval, else 300). 0 disables. */
  periodicInformInterval?: number
  /** Namespace the CPEs speak (default cwmp-1-0). */
  cwmpVersion?: CwmpVersion
  /** Address the connection-request listeners bind (default 127.0.0.1). */
  connectionRequestBind?: string
  /** Credentials the CPEs require on connection requests (Digest); defaults "cr"/"cr". */
  connectionRequestUsername?: string
  connectionRequestPassword?: string
  /** Credentials the CPEs send to the ACS (Basic or Digest, whichever the ACS asks for); default the serial and "". */
  acsUsername?: string
  acsPassword?: string
  /**
   * First retry wait after a failed session, seconds (TR-069's CWMPRetryMinimumWaitInterval, default
   * the model's value, else 5). Doubles with each failure. Tests use a fraction of a second.
   */
  retryMinimumWaitInterval?: number
  /**
   * Keep one TCP connection for a whole session (default true). false opens a new connection for
   * every message, as some CPEs do, so that only the session cookie ties the messages together.
   */
  keepAlive?: boolean
  /**
   * Resolve startSimulator once every CPE has completed its first (BOOTSTRAP) session (default true).
   * With false it resolves as soon as the CPEs are listening, and bootstrapping goes on in the background.
   */
  waitForBootstrap?: boolean
  /** Aborting stops the fleet; a startSimulator still waiting for bootstrap rejects. */
  signal?: AbortSignal
  /** One line per notable thing a CPE does (session start/end, RPC answered, error). */
  log?: (line: string) => void
}

export type SimEventName =
  'session-start' | 'session-end' | 'rpc' | 'received' | 'error' | 'rebooted' | 'transfer-complete' | 'faults'

export interface SimEvent {
  serial: string
  name: SimEventName
  /**
   * For "session-start": the event codes informed (string[]); for "session-end":
   * { ok, events, messages? , error? }; for "rpc": the method; for "received": an envelope from
   * the ACS as it arrived (string); for "error": the message; for
   * "rebooted": why ("Reboot", "FactoryReset", "Download", "restart"); for "transfer-complete":
   * { kind: "download" | "upload", commandKey, faultCode, faultString }.
   */
  detail?: unknown
}

export interface SimulatedCpe {
  readonly serial: string
  /** http://127.0.0.1:<port>/<path> — what the CPE reports as ConnectionRequestURL. */
  readonly connectionRequestUrl: string
  /** Number of sessions completed. */
  readonly sessions: number
  /** Current value of a parameter in the CPE's own data model (undefined if it has no such parameter). */
  get(name: string): string | undefined
  /**
   * Starts a session now with the given event codes (default ["2 PERIODIC"]); resolves when it ends
   * (rejects if that session fails; the CPE keeps retrying on its own).
   */
  inform(events?: string[]): Promise<void>
  /**
   * Changes a value on the CPE itself, as its user would on its web page (not the ACS: TR-069
   * 3.2.1 notifies only changes the ACS did not make). With Notification 2 (active) on the
   * parameter the CPE starts a session with "4 VALUE CHANGE" listing it; with 1 (passive) the
   * next session, whatever starts it, carries both; with 0 nothing is reported. Returns the
   * parameter's Notification. Throws if the CPE has no such leaf.
   */
  changeLocally(name: string, value: string): { notification: number }
  /** Power-cycles the CPE: configuration kept, uptime reset, next session informs "1 BOOT". */
  restart(): Promise<void>
  stop(): Promise<void>
  /** The faults injected into this CPE (none at start). */
  readonly faults: CpeFaults
  /**
   * Injects faults, replacing the previous ones: offline (no sessions, connection requests dropped;
   * events wait until it is back), RPCs refused with a CWMP fault, a delay before each answer.
   * Throws FaultInputError on bad input.
   */
  setFaults(faults: unknown): CpeFaults
}

export interface SimFleet {
  readonly cpes: SimulatedCpe[]
  /** Subscribe to what the CPEs do; returns the unsubscribe function. */
  on(listener: (event: SimEvent) => void): () => void
  /** Stops all CPEs: closes their listeners and timers. */
  stop(): Promise<void>
}
