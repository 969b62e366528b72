import type { DryRunReport } from '../../preload/api'
import type { Bench } from '../core/bench'
import { dryRun, dryRunProfile, dryRunSource } from '../core/dry-run'
import { BadRequestError } from './errors'
import type { StreamHub } from './streams'
import { nonEmpty, obj, optObj, optStr } from './validate'

/**
 * The Profiles page's "Dry run…": one at a time (each starts a bench of its own and a simulated
 * CPE, on a laptop that is doing other work), progress on the profiles.dryRuns stream.
 */
export function dryRunHandlers(
  bench: Bench,
  hub: StreamHub,
  log?: (level: 'info' | 'warn' | 'error', m: string) => void,
) {
  let running: AbortController | undefined
  return {
    handlers: {
      'profiles.dryRun': async ([profileValue, targetValue]: unknown[]): Promise<DryRunReport> => {
        const profile =
          typeof profileValue === 'string' ? nonEmpty(profileValue, 'profile name', 64) : obj(profileValue, 'profile')
        const t = optObj(targetValue, 'target')
        const serial = optStr(t.serial, 'serial', 64)
        const productClass = optStr(t.productClass, 'product class', 64)
        if (running)
          throw new BadRequestError(
            'A dry run is already under way: wait for its outcome, or stop it, then start this one.',
          )
        const source = dryRunSource(bench.store, bench.config.dataDir)
        const definition = dryRunProfile(source, profile)
        const stop = new AbortController()
        running = stop
        try {
          return await dryRun(
            source,
            definition,
            { ...(serial !== undefined ? { serial } : {}), ...(productClass !== undefined ? { productClass } : {}) },
            {
              signal: stop.signal,
              config: {
                scripts: bench.config.scripts,
                files: bench.config.files,
                ...(bench.config.sqliteNativeBinding ? { sqliteNativeBinding: bench.config.sqliteNativeBinding } : {}),
              },
              onProgress: (report) => hub.push('profiles.dryRuns', report, report.id),
              ...(log ? { log } : {}),
            },
          )
        } finally {
          if (running === stop) running = undefined
        }
      },
      'profiles.stopDryRun': async (): Promise<boolean> => {
        if (!running) return false
        running.abort()
        return true
      },
    },
    /** Stops a dry run under way (the app is closing). */
    close(): void {
      running?.abort()
    },
  }
}
