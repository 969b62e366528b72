// Sync settings: stored in the settings table, validated with messages for the user, and never
// shown with their secrets.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBench } from '../../main/core/bench'
import { BenchEvents } from '../../main/core/events'
import { SECRET_PLACEHOLDER, SyncService, SyncSettingsError } from '../../main/core/sync'
import { natsConnectionOptions } from '../../main/core/sync/nats/connect'
import { tempDir } from './helpers'
import { openBenchStore } from '../../main/core/database'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function service() {
  const tmp = tempDir()
  const file = join(tmp.dir, 'bench.sqlite')
  const store = openBenchStore(file)
  const sync = new SyncService({ store, events: new BenchEvents() })
  cleanups.push(
    tmp.cleanup,
    () => store.close(),
    () => sync.close(),
  )
  return { store, sync, file }
}

describe('sync settings', () => {
  it('are stored, survive a restart, and show secrets only as a placeholder', async () => {
    const { store, sync, file } = service()
    await sync.configure({
      nats: { url: 'nats://ops:pa55@central:4222', auth: { kind: 'token', token: 't0ken' } },
      mongo: { url: 'mongodb://u:secret@central:27017/?authSource=admin', database: 'adapter' },
      retentionDays: 30,
    })
    const shown = sync.settings()
    expect(JSON.stringify(shown)).not.toMatch(/pa55|t0ken|secret/)
    expect(shown.nats.url).toBe(`nats://ops:${SECRET_PLACEHOLDER}@central:4222`)
    expect(shown.nats.auth).toEqual({ kind: 'token', token: SECRET_PLACEHOLDER })
    expect(JSON.stringify(sync.status())).not.toMatch(/pa55|secret|ops:/)

    // Saving what the page shows keeps the secrets.
    await sync.configure({ nats: { ...shown.nats, oktopus: false }, mongo: shown.mongo })
    store.close()
    const reopened = openBenchStore(file)
    cleanups.push(() => reopened.close())
    const stored = new SyncService({ store: reopened, events: new BenchEvents() })
    cleanups.push(() => stored.close())
    const raw = reopened.settings.get<{ nats: { url: string; auth: unknown; oktopus: boolean } }>('sync.settings')!
    expect(raw.nats).toMatchObject({ url: 'nats://ops:pa55@central:4222', auth: { kind: 'token', token: 't0ken' } })
    expect(raw.nats.oktopus).toBe(false)
    expect(stored.settings()).toMatchObject({ retentionDays: 30, mongo: { database: 'adapter' } })
  })

  it('refuse what cannot work, with a message that says how to fix it', async () => {
    const { sync } = service()
    const cases: [Parameters<SyncService['configure']>[0], RegExp][] = [
      [{ nats: { url: 'http://central:4222' } }, /use nats:\/\/host:4222/],
      [{ nats: { url: 'nats://c', subjectPrefix: 'cwmp' } }, /other than "cwmp"/],
      [{ nats: { url: 'nats://c', stream: 'my.stream' } }, /no dots/],
      [{ nats: { url: 'nats://c', auth: { kind: 'creds', file: '' } } }, /\.creds file/],
      [{ mongo: { url: 'postgres://x' } }, /mongodb:\/\/host:27017/],
      [{ mongo: { url: 'mongodb://x', database: 'a.b' } }, /database name/],
      [{ retentionDays: -1 }, /0 to 3650/],
    ]
    for (const [patch, message] of cases) {
      await expect(sync.configure(patch)).rejects.toThrow(SyncSettingsError)
      await expect(sync.configure(patch)).rejects.toThrow(message)
    }
    expect(sync.status().targets.every((t) => !t.configured)).toBe(true)
  })

  it('turn URLs and credentials into client options (user/password from the URL, TLS for tls://)', () => {
    const base = {
      enabled: true,
      auth: { kind: 'none' as const },
      tls: { enabled: false, caFile: '', certFile: '', keyFile: '' },
      stream: 'BENCH',
      subjectPrefix: 'bench',
      oktopus: true,
    }
    const opts = natsConnectionOptions(
      { ...base, url: 'tls://a%40b:p%3Ass@n1.example:4443, nats://n2.example' },
      { name: 'x', timeoutMs: 1000 },
    )
    expect(opts).toMatchObject({ servers: ['n1.example:4443', 'n2.example:4222'], user: 'a@b', pass: 'p:ss', tls: {} })
    expect(() =>
      natsConnectionOptions(
        { ...base, url: 'nats://h', auth: { kind: 'creds', file: '/nonexistent/x.creds' } },
        { name: 'x', timeoutMs: 1000 },
      ),
    ).toThrow(/cannot be read/)
  })

  it('are what createBench starts sync with', async () => {
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    const first = await createBench({ dataDir: tmp.dir }, { log: () => {} })
    expect(first.sync.status().targets.map((t) => t.state)).toEqual(['not-configured', 'not-configured'])
    await first.sync.configure({ mongo: { url: 'mongodb://127.0.0.1:1', enabled: false } })
    await first.close()
    const second = await createBench({ dataDir: tmp.dir }, { log: () => {} })
    cleanups.push(() => second.close())
    expect(second.sync.status().targets.find((t) => t.target === 'mongo')).toMatchObject({
      state: 'disabled',
      configured: true,
      url: 'mongodb://127.0.0.1:1',
    })
  })
})
