// Provisioning profiles (docs/profiles.md): definitions, runs, dry runs.
import type { ProfileRecord, ProfileRun, ProvisioningState } from '../../main/core/profiles/types'
import type { DryRunOutcome, DryRunReport, DryRunStep, DryRunTarget } from '../../main/core/dry-run/types'

export type { ProfileRecord, ProfileRun, ProvisioningState }
export type { DryRunOutcome, DryRunReport, DryRunStep, DryRunTarget }

export interface ProfileCalls {
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
