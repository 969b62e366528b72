import { BenchError } from '../errors'

/**
 * A provisioning profile: which devices, when, and what — an ordered list of idempotent steps.
 * This is the shape of the JSON or YAML file teams share (`bench-acs profiles import/export`); see
 * docs/profiles.md.
 */
export interface ProfileDefinition {
  /** Unique (case-insensitive); what the CLI and the UI call it. */
  name: string
  description: string
  enabled: boolean
  /** Which devices: every field given must hold (empty: every device). */
  match: DeviceMatch
  /**
   * When it runs by itself: on these CWMP events of a matching device's Inform, and on a cron
   * schedule (on every known device it matches). A profile can always be run by hand.
   */
  when: { events: string[]; schedule?: string }
  steps: ProfileStep[]
}

/**
 * Device criteria: globs (`*`, `?`, case-insensitive) on the identity a CPE informs, and for the
 * software version either a glob or a comparison (`<2.0.1`, `>=1.2`, `=1.0`, `!=3`).
 */
export interface DeviceMatch {
  manufacturer?: string
  oui?: string
  productClass?: string
  model?: string
  softwareVersion?: string
  serial?: string
  /** A tag the technician put on the device (glob, any case): "customer-42", "batch-*". */
  tag?: string
}

/** A value to set: text, a number or a boolean (compared as the CPE reports it). */
export type StepValue = string | number | boolean

export type ProfileStep =
  /** SetParameterValues of the parameters whose value differs (read first with GetParameterValues). */
  | { set: Record<string, StepValue> }
  /**
   * An instance of a multi-instance object: held when one exists whose parameters equal `match`
   * (any instance, without `match`); else AddObject, then `set` (names relative to the instance).
   */
  | { addObject: string; match?: Record<string, StepValue>; set?: Record<string, StepValue> }
  /** Deletes the instances of an object that match (all, without `match`); held when there are none. */
  | { deleteObject: string; match?: Record<string, StepValue> }
  /**
   * Firmware version V: held when the device reports V; else the library's image of V for its
   * product class is downloaded, and the step waits for the reboot and TransferComplete.
   */
  | { firmware: string }
  /** Restores a configuration file of the library: held when this device got the same bytes from a profile before. */
  | { config: string }
  /** Runs a library script on the device with ARGS = args; held when the script returns "held". */
  | { script: string; args?: Record<string, StepValue> }

export type StepKind = 'set' | 'addObject' | 'deleteObject' | 'firmware' | 'config' | 'script'

/** A stored profile: the definition plus its identity and version. */
export interface ProfileRecord extends ProfileDefinition {
  id: string
  /** Saved versions count from 1; every change makes a new one. */
  version: number
  createdAt: number
  updatedAt: number
}

export type StepOutcome = 'applied' | 'held' | 'failed' | 'not-run'

/** Why a step failed: the CPE answered with a fault, nothing came in time, it could not be reached, or else. */
export type FailureKind = 'fault' | 'timeout' | 'unreachable' | 'error'

export interface StepResult {
  index: number
  kind: StepKind
  /** What the step is, in a line ("firmware 2.0.1", "set 2 parameters"). */
  summary: string
  outcome: StepOutcome
  /** What was done or found ("already 2.0.1", "set …SSID") or why it failed. */
  detail: string
  failure?: FailureKind
  faultCode?: number
  durationMs: number
}

export type ProfileRunStatus = 'running' | 'done' | 'failed'

/** One run of one profile on one device. */
export interface ProfileRun {
  id: string
  profileId: string | null
  profileName: string
  profileVersion: number
  serial: string
  /** The CWMP event that started it ("0 BOOTSTRAP"), or "manual". */
  trigger: string
  status: ProfileRunStatus
  startedAt: number
  endedAt: number | null
  steps: StepResult[]
}

/** The device list's provisioning column: the state of the device's latest profile run. */
export type ProvisioningState = 'pending' | 'done' | 'failed'

declare module '../events' {
  interface BenchEventMap {
    /** A profile run started, finished a step, or ended. */
    'profile.run': { run: ProfileRun }
    /** A profile was created, changed or removed. */
    'profile.changed': { name: string; removed: boolean }
  }
}

export class ProfileInputError extends BenchError {
  /** Where in the profile it is, e.g. ["steps", 2, "set"]: the file parser turns it into a line. */
  constructor(
    message: string,
    readonly field?: (string | number)[],
  ) {
    super('input', message)
  }
}

export class ProfileNotFoundError extends BenchError {
  constructor(name: string) {
    super('not-found', `There is no profile "${name}" (bench-acs profiles list shows them).`)
  }
}
