// Retention in Settings and storage in the sync status, over the real UI server and SQLite file.
import { describe, expect, it } from 'vitest'
import type { CallReply, SettingsView, SyncStatus } from '../../preload/api'
import { client, start } from './helpers'

const DAY = 86_400_000

function value<T>(r: CallReply): T {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`)
  return r.value as T
}

describe('retention settings and storage status', () => {
  it('saves keep-days and the cap, refuses a cap too small to work, and prunes at once with what it deleted', async () => {
    const { bench, port } = await start()
    const c = await client(port)
    bench.store.transaction(() => {
      for (let i = 0; i < 5; i++)
        bench.store.events.append({ kind: 'rpc', serial: 'AGED', summary: `aged ${i}`, ts: Date.now() - 10 * DAY })
    })
    const shown = value<SettingsView>(await c.call('settings.get'))
    expect(shown.retention).toMatchObject({ eventsDays: 30, maxMb: 2048 })

    const tooSmall = await c.call('settings.save', { retention: { maxMb: 4 } })
    expect(tooSmall).toMatchObject({ ok: false, error: { message: expect.stringMatching(/at least 16 MB, or 0/) } })
    expect(bench.config.retention.maxMb).toBe(2048)

    const saved = value<{ settings: SettingsView; notes: string[] }>(
      await c.call('settings.save', { retention: { eventsDays: 7, maxMb: 64, convertBelowMb: 32 } }),
    )
    expect(saved.settings.retention).toMatchObject({ eventsDays: 7, maxMb: 64, convertBelowMb: 32, runsDays: 30 })
    expect(saved.notes.join(' ')).toMatch(/Retention applies the new limits now/)
    await expect.poll(() => bench.store.events.countMatching({ serial: 'AGED' }), { timeout: 20_000 }).toBe(0)
    // The sync status carries the size, the cap and what the last pass deleted.
    await expect
      .poll(async () => value<SyncStatus>(await c.call('sync.status')).storage?.lastPass?.removed.events ?? 0, {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(5)
    const storage = value<SyncStatus>(await c.call('sync.status')).storage!
    expect(storage.capBytes).toBe(64 * 1024 * 1024)
    expect(storage.sizeBytes).toBeGreaterThan(0)
    expect(storage.blocked).toBeNull()
    // Kept across a restart of the settings: stored with the rest.
    expect(value<SettingsView>(await c.call('settings.get')).retention.eventsDays).toBe(7)
    c.ws.close()
  })
})
