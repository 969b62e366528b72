// The simulator: its fleet of simulated CPEs, faults, values changed as a user would.
import type { SimModel, SimStatus } from '../../main/core/sim/service'

export type { SimStatus, SimModel }

export interface SimStartRequest {
  count: number
  model: string
  serialPrefix?: string
  periodicInformInterval?: number
}

/** What the Simulator page sends to inject faults; missing fields mean "none". */
export interface SimFaultsInput {
  offline?: boolean
  refuse?: { method: string; faultCode: number; faultString?: string }[]
  answerDelayMs?: number
}

export interface SimCalls {
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
