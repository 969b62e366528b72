import { BenchError } from '../errors'
import type { FailureKind, StepKind } from '../profiles/types'

/**
 * What a dry run runs against: a real device's serial (a simulated CPE of the same model, with
 * the values stored for it, stands in), or a product class (a default simulated CPE of ours with
 * that identity). Neither: the identity the profile's match names.
 */
export interface DryRunTarget {
  serial?: string
  productClass?: string
}

/** The identity the simulated CPE informs with. */
export interface DryRunIdentity {
  manufacturer: string
  oui: string
  productClass: string
  model: string
  softwareVersion: string
  hardwareVersion: string
}

/**
 * A step as the dry run found it on the simulated CPE: it would be applied, it already holds, it
 * would fail (with the reason), or a real run would not reach it (an earlier step fails).
 */
export type DryRunOutcome = 'would-apply' | 'held' | 'would-fail' | 'not-reached' | 'pending'

export interface DryRunStep {
  index: number
  kind: StepKind
  summary: string
  outcome: DryRunOutcome
  /** What was done or found on the simulated CPE, or why it failed. */
  detail: string
  failure?: FailureKind
  faultCode?: number
  durationMs: number
}

/** preparing → starting the simulated CPE → running the steps → done, or failed when it could not run. */
export type DryRunState = 'preparing' | 'starting' | 'running' | 'done' | 'failed'

/**
 * The report of one dry run. Never stored: it goes to whoever asked (the CLI's output, the
 * Profiles page), so nothing in the bench's store, provisioning states or sync outbox could be
 * taken for a real run (docs/profiles.md, "Dry run").
 */
export interface DryRunReport {
  id: string
  dryRun: true
  profile: string
  /** The saved profile's version; null for a profile read from a file. */
  profileVersion: number | null
  /** The real device it stands in for, or null for a product class. */
  device: string | null
  /** The simulated CPE's serial (the device's own, when it stands in for one). */
  simSerial: string
  identity: DryRunIdentity
  /** How many of the device's stored parameter values the simulated CPE started with. */
  storedValues: number
  state: DryRunState
  /** What is happening now, or why it could not run (with what to do next). */
  message: string
  steps: DryRunStep[]
  startedAt: number
  endedAt: number | null
}

/** Bad dry-run input (no such device, a profile that does not match the target): nothing ran. */
export class DryRunInputError extends BenchError {
  constructor(message: string) {
    super('input', message)
  }
}

export class DryRunDeviceNotFoundError extends BenchError {
  constructor(serial: string) {
    super('not-found', `There is no device "${serial}" in this bench (bench-acs devices lists them).`)
  }
}
