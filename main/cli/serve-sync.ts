import type { SyncTargetStatus } from '../core/sync'
import type { ServeExtension } from './serve'

/**
 * `bench-acs serve --nats URL [--mongo URL]`: saves the targets in the sync settings (the same ones
 * the Sync page edits, so they stay set for the next start) and prints a line whenever a target
 * connects, starts draining a backlog, catches up or fails.
 */
export const syncServeExtension: ServeExtension = {
  name: 'sync',
  options: {
    nats: { type: 'string' },
    mongo: { type: 'string' },
    'mongo-db': { type: 'string' },
  },
  usage: [
    '  --nats URL     sync to NATS JetStream, e.g. nats://user:pass@central:4222 (saved in the sync settings)',
    '  --mongo URL    sync to MongoDB, e.g. mongodb://central:27017/adapter (saved in the sync settings)',
    '  --mongo-db DB  MongoDB database (default: the one in the URL, else "adapter", as Oktopus)',
  ],
  async start({ bench, values, print }) {
    const nats = typeof values.nats === 'string' ? values.nats : undefined
    const mongo = typeof values.mongo === 'string' ? values.mongo : undefined
    const database = typeof values['mongo-db'] === 'string' ? values['mongo-db'] : undefined
    if (nats !== undefined || mongo !== undefined || database !== undefined) {
      await bench.sync.configure({
        ...(nats !== undefined ? { nats: { url: nats, enabled: true } } : {}),
        ...(mongo !== undefined || database !== undefined
          ? {
              mongo: {
                ...(mongo !== undefined ? { url: mongo, enabled: true } : {}),
                // A new URL without --mongo-db takes its own database (or "adapter").
                database: database ?? (mongo !== undefined ? '' : bench.sync.settings().mongo.database),
              },
            }
          : {}),
      })
    }
    const status = bench.sync.status()
    const active = status.targets.filter((t) => t.configured && t.enabled)
    if (active.length === 0) return
    print(`Syncing to ${active.map((t) => `${t.label} ${t.url}`).join(' and ')} (outbox: ${status.outbox.rows} rows).`)
    const last = new Map<string, string>()
    const off = bench.events.on('sync.status', (s) => {
      for (const t of s.targets) {
        const line = describe(t)
        // One line per change of state (a new error counts as a change), not per progress step.
        const key = line && `${t.state}:${t.lastError?.message ?? ''}`
        if (!line || !key || last.get(t.target) === key) continue
        last.set(t.target, key)
        print(`${new Date().toTimeString().slice(0, 8)}  sync ${t.target}: ${line}`)
      }
    })
    return async () => off()
  },
}

/** One line per state worth a line; undefined for states that need none. */
function describe(t: SyncTargetStatus): string | undefined {
  switch (t.state) {
    case 'sending':
      return t.progress && t.progress.total > 1000 ? `sending a backlog of ${t.progress.total} rows…` : undefined
    case 'idle':
      return `up to date (${t.sentSinceStart} rows sent since start)`
    case 'retrying':
      return t.lastError ? `${t.lastError.message}. ${t.lastError.hint}` : 'retrying'
    case 'paused':
      return 'paused'
    default:
      return undefined
  }
}
