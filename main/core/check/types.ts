/**
 * One check's verdict: TR-069 requires it and it worked, it did not, the CPE says it has no such
 * thing, or the bench could not make it happen on its own (it needs someone at the CPE).
 */
export type CheckOutcome = 'pass' | 'fail' | 'not-supported' | 'not-observed'

/** A message exchanged for a check, as the event log stored it. */
export interface CheckEvidence {
  summary: string
  /** What the ACS sent (the request) and what the CPE sent (its answer), when the event has them. */
  soapOut: string | null
  soapIn: string | null
}

export interface CheckResult {
  id: string
  title: string
  outcome: CheckOutcome
  /** Why, in one or two sentences for the technician. */
  detail: string
  evidence: CheckEvidence[]
  durationMs: number
}

export interface CheckReport {
  serial: string
  device: { manufacturer: string; productClass: string; softwareVersion: string; dataModel: string }
  startedAt: number
  finishedAt: number
  results: CheckResult[]
  counts: Record<CheckOutcome, number>
}

export interface CheckOptions {
  /** How long to wait for what a device reports later (its reboot, its TransferComplete), ms. Default 120 s. */
  waitMs?: number
  /** Also sends FactoryReset (destructive: only when the technician asks). */
  factoryReset?: boolean
  /**
   * Sends a partial path to a CPE also when nothing says it can take one (see the gpv-partial
   * check): minimal stacks crash on it.
   */
  probePartialPaths?: boolean
  /** Checks to run, by id (default: all). */
  only?: string[]
  /** Called as each check ends (the UI shows progress). */
  onResult?: (result: CheckResult) => void
}
