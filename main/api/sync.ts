import type { SyncStatus } from '../../preload/api'
import type { Bench } from '../core/bench'
import { SYNC_TARGETS, SyncSettingsError, type SyncSettingsPatch, type SyncTargetName } from '../core/sync'
import { BadRequestError } from './errors'
import { oneOf, optInt, optObj } from './validate'

function target(value: unknown): SyncTargetName | undefined {
  return value === undefined || value === null ? undefined : oneOf(value, SYNC_TARGETS, 'sync target')
}

/** The Sync page's calls, straight onto the sync service (issue 5's area). */
export function syncHandlers(bench: Bench) {
  const status = (): SyncStatus => bench.sync.status()
  return {
    'sync.status': async () => status(),
    'sync.settings': async () => bench.sync.settings(),
    'sync.configure': async ([patch]: unknown[]) => {
      try {
        // The service validates every field and says what is wrong in words for the user.
        return await bench.sync.configure(optObj(patch, 'sync settings') as SyncSettingsPatch)
      } catch (error) {
        if (error instanceof SyncSettingsError) throw new BadRequestError(error.message)
        throw error
      }
    },
    'sync.pause': async ([t]: unknown[]) => {
      bench.sync.pause(target(t))
      return status()
    },
    'sync.resume': async ([t]: unknown[]) => {
      bench.sync.resume(target(t))
      return status()
    },
    'sync.syncNow': async ([t]: unknown[]) => {
      bench.sync.syncNow(target(t))
      return status()
    },
    'sync.retryQuarantined': async ([t, seq]: unknown[]) => {
      bench.sync.retryQuarantined(target(t), optInt(seq, 'outbox seq', 1, Number.MAX_SAFE_INTEGER))
      return status()
    },
  }
}
