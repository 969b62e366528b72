import { faultMeaning } from '../cwmp'
import { CPE_METHODS } from './rpc'

/** One RPC the CPE is told to refuse, and the CWMP fault it answers with. */
export interface RefusedRpc {
  /** An ACS request the CPE implements: "GetParameterValues", "Reboot", … */
  method: string
  /** 9000–9899 (TR-069 A.5.1: 9000–9019 standard, 9800–9899 vendor). */
  faultCode: number
  /** Default: the code's meaning ("Request denied"). */
  faultString?: string
}

/**
 * Faults injected into one simulated CPE, for trying the ACS, profiles and scripts against a device
 * that misbehaves: it can be offline (no sessions, connection requests unanswered), refuse named
 * RPCs with a fault, or take its time before each answer.
 */
export interface CpeFaults {
  offline: boolean
  refuse: RefusedRpc[]
  /** Milliseconds the CPE waits before each answer to an ACS request (0: none). */
  answerDelayMs: number
}

export const NO_FAULTS: CpeFaults = Object.freeze({ offline: false, refuse: [], answerDelayMs: 0 }) as CpeFaults

/** A delay past this would only trip the ACS's own session timeout (main/core/acs): 2 minutes. */
export const MAX_ANSWER_DELAY_MS = 120_000

export class FaultInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FaultInputError'
  }
}

/** Checks faults from outside (API, CLI, config) and fills in defaults; throws FaultInputError saying what is wrong. */
export function checkFaults(input: unknown): CpeFaults {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultInputError('the faults are an object: { offline, refuse, answerDelayMs }')
  const r = input as Record<string, unknown>
  const offline = r.offline ?? false
  if (typeof offline !== 'boolean') throw new FaultInputError('"offline" is true or false')
  const delay = r.answerDelayMs ?? 0
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_ANSWER_DELAY_MS)
    throw new FaultInputError(`the answer delay is a whole number of milliseconds from 0 to ${MAX_ANSWER_DELAY_MS}`)
  const list = r.refuse ?? []
  if (!Array.isArray(list) || list.length > CPE_METHODS.length)
    throw new FaultInputError('"refuse" is a list of { method, faultCode }, one per RPC')
  const refuse: RefusedRpc[] = []
  for (const item of list as unknown[]) {
    const rule = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
    const method = rule.method
    if (typeof method !== 'string' || !CPE_METHODS.includes(method))
      throw new FaultInputError(`cannot refuse "${String(method)}": the CPE answers ${CPE_METHODS.join(', ')}`)
    if (refuse.some((x) => x.method === method)) throw new FaultInputError(`${method} is refused twice`)
    const code = rule.faultCode
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 9000 || code > 9899)
      throw new FaultInputError(`the fault code for ${method} is a CPE fault code from 9000 to 9899`)
    const text = rule.faultString
    if (text !== undefined && (typeof text !== 'string' || text.length > 256))
      throw new FaultInputError(`the fault string for ${method} is text of up to 256 characters`)
    refuse.push({ method, faultCode: code, ...(text ? { faultString: text } : {}) })
  }
  return { offline, refuse, answerDelayMs: delay }
}

/** The fault a CPE with these faults answers this ACS request with, or undefined to answer it. */
export function refusalFor(faults: CpeFaults, method: string): { faultCode: number; faultString: string } | undefined {
  const rule = faults.refuse.find((r) => r.method === method)
  return rule && { faultCode: rule.faultCode, faultString: rule.faultString ?? faultMeaning(rule.faultCode) }
}

/** "offline", "refuses Reboot (9001)", "answers after 2000 ms": for logs and the CLI. */
export function describeFaults(faults: CpeFaults): string {
  const parts: string[] = []
  if (faults.offline) parts.push('offline')
  for (const r of faults.refuse) parts.push(`refuses ${r.method} (${r.faultCode})`)
  if (faults.answerDelayMs > 0) parts.push(`answers after ${faults.answerDelayMs} ms`)
  return parts.length ? parts.join(', ') : 'no faults'
}
