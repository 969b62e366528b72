import type { SyncStatus } from '../../preload/api'
import type { Bench } from '../core/bench'
import { SYNC_TARGETS, type SyncSettingsPatch, type SyncTargetName } from '../core/sync'
import { pickedPath } from './files'
import { oneOf, optInt, optObj } from './validate'

function target(value: unknown): SyncTargetName | undefined {
  return value === undefined || value === null ? undefined : oneOf(value, SYNC_TARGETS, 'sync target')
}

/** The patch's file paths (TLS PEM files, .creds) must be picked in the app: see pickedPath. */
function checkFiles(bench: Bench, patch: SyncSettingsPatch): SyncSettingsPatch {
  const nats = patch.nats
  if (!nats || typeof nats !== 'object') return patch
  const current = bench.sync.settings().nats
  const out = { ...nats }
  if (nats.tls && typeof nats.tls === 'object') {
    const tls = { ...nats.tls }
    for (const [key, what] of [
      ['caFile', 'NATS CA file'],
      ['certFile', 'NATS client certificate file'],
      ['keyFile', 'NATS client key file'],
    ] as const)
      if (tls[key] !== undefined) tls[key] = pickedPath(bench, tls[key], current.tls[key], what)
    out.tls = tls
  }
  const auth = nats.auth as { kind?: unknown; file?: unknown } | undefined
  if (auth && typeof auth === 'object' && auth.kind === 'creds') {
    const stored = current.auth.kind === 'creds' ? current.auth.file : undefined
    out.auth = { kind: 'creds', file: pickedPath(bench, auth.file, stored, 'NATS credentials file') }
  }
  return { ...patch, nats: out }
}

/** The Sync page's calls, straight onto the sync service (issue 5's area). */
export function syncHandlers(bench: Bench) {
  const status = (): SyncStatus => bench.sync.status()
  return {
    'sync.status': async () => status(),
    'sync.settings': async () => bench.sync.settings(),
    // The service validates every field and says what is wrong in words for the user.
    'sync.configure': async ([patch]: unknown[]) =>
      bench.sync.configure(checkFiles(bench, optObj(patch, 'sync settings') as SyncSettingsPatch)),
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
