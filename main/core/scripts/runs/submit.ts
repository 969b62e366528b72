import type { BenchConfig } from '../../config'
import { ulid } from '../../ids'
import { checkLimits, LimitError, limitsFromSettings, resolveLimits, type ScriptLimits } from '../../lua/limits'
import type { Store } from '../../store'
import type { EnvLibrary } from '../envs/library'
import { ScriptInputError } from '../errors'
import type { RunRecord, RunTarget, RunTrigger } from '../types'
import type { RunGroup, RunManager } from './manager'
import { resolveTargets } from './targets'

/** One start of a script, as ScriptService.run, runSource and the triggers ask for it. */
export interface RunSubmission {
  scriptId: string | null
  scriptName: string
  scriptVersion: number | null
  source: string
  scriptLimits: Partial<ScriptLimits>
  options: { target?: RunTarget; limits?: Partial<ScriptLimits>; batch?: boolean; env?: string }
  trigger: RunTrigger
  strictTargets: boolean
  group?: RunGroup
}

export interface SubmitDeps {
  config: BenchConfig
  store: Store
  environments: EnvLibrary
  manager: RunManager
  log: (level: 'info' | 'warn' | 'error', message: string) => void
}

/**
 * Checks the run's limits over the script's and the app's, reads its environment and targets, and
 * queues one run per target (a batch when several), in one transaction: 2,000 devices are queued
 * in a blink, not 2,000 writes.
 */
export function submitRuns(d: SubmitDeps, p: RunSubmission): RunRecord[] {
  let runLimits: Partial<ScriptLimits>
  try {
    runLimits = checkLimits(p.options.limits)
  } catch (error) {
    if (error instanceof LimitError) throw new ScriptInputError(error.message)
    throw error
  }
  const limits = resolveLimits(limitsFromSettings(d.config.scripts, d.log), p.scriptLimits, runLimits)
  const env = d.environments.forRun(p.options.env)
  const targets = resolveTargets(d.store, p.options.target ?? { kind: 'none' }, p.strictTargets)
  const batchId = targets.length > 1 || p.options.batch ? ulid() : null
  return d.store.transaction(() =>
    targets.map((serials) =>
      d.manager.submit({
        scriptId: p.scriptId,
        scriptName: p.scriptName,
        scriptVersion: p.scriptVersion,
        source: p.source,
        limits,
        targets: serials,
        batchId,
        trigger: p.trigger,
        ...(env ? { env } : {}),
        ...(p.group ? { group: p.group } : {}),
      }),
    ),
  )
}
