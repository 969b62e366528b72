// A row larger than the server's max_payload must not stop sync for everything after it: it is set
// aside (quarantined) with the reason, shown in the status, and sent by a retry once it fits.
// Against a real nats-server started with a small max_payload.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BenchEvents } from '../../main/core/events'
import { Journal } from '../../main/core/journal'
import { SyncService } from '../../main/core/sync'
import { FAST, produce, streamMessages, tempDir, waitForTarget } from './helpers'
import { startNatsServer } from './nats-server'
import { databaseFile, openBenchStore } from '../../main/core/database'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('a row larger than max_payload', () => {
  it('is quarantined while the rows after it arrive, shows in the status, and a retry sends it once it fits', async () => {
    const tmp = tempDir()
    const conf = join(tmp.dir, 'nats.conf')
    writeFileSync(conf, 'max_payload: 16384\n')
    const server = await startNatsServer({ args: ['-c', conf] })
    const store = openBenchStore(databaseFile(tmp.dir))
    const events = new BenchEvents()
    const sync = new SyncService({ store, events, journal: new Journal(store, events), tuning: FAST })
    cleanups.push(
      tmp.cleanup,
      () => server.dispose(),
      () => store.close(),
      () => sync.close(),
    )
    await sync.configure({ nats: { url: server.url, oktopus: false } })
    const nats = (predicate: Parameters<typeof waitForTarget>[3]) =>
      waitForTarget(events, () => sync.status(), 'nats', predicate)

    produce(store, 20, 'before')
    store.events.append({ kind: 'system', serial: 'BIG', summary: 'huge', detail: { blob: 'x'.repeat(40_000) } })
    const big = store.outbox.maxSeq()
    const bigId = store.outbox.after(big - 1, 1)[0]!.id
    produce(store, 20, 'after')

    sync.start()
    const settled = await nats((t) => t.quarantine.count === 1 && t.backlog === 0 && t.state === 'idle')
    expect(settled.cursor).toBe(store.outbox.maxSeq())
    expect(settled.quarantine.rows).toEqual([
      expect.objectContaining({
        seq: big,
        topic: 'event',
        key: 'BIG',
        attempts: 1,
        reason: expect.stringMatching(/max_payload \(16384\)/),
      }),
    ])
    expect(settled.quarantine.rows[0]!.bytes).toBeGreaterThan(40_000)
    expect(settled.quarantine.rows[0]!.hint).toMatch(/Raise max_payload.*Retry/)
    // Everything else arrived, the 20 rows after it included (and the event-log line saying so).
    const others = store.outbox.after(0, 1000).filter((r) => r.seq !== big)
    expect((await streamMessages(server.url, 'BENCH')).map((m) => m.msgId)).toEqual(others.map((r) => r.id))
    expect(store.events.query({}).some((e) => e.kind === 'sync' && /set aside/.test(e.summary))).toBe(true)

    // The quarantine survives the outbox's retention (it keeps its own copy) and a restart.
    await sync.configure({ retentionDays: 0 })
    await sync.prune()
    expect(store.outbox.count()).toBe(0)

    // Still too large: the retry leaves it where it is and says so again.
    sync.retryQuarantined('nats')
    await nats((t) => t.quarantine.rows[0]?.attempts === 2)

    // The server's limit is raised: the retry sends it, exactly once.
    await server.kill()
    writeFileSync(conf, 'max_payload: 1048576\n')
    await server.restart()
    // Asked while the client may still be reconnecting: a passing failure keeps the retry wanted.
    sync.retryQuarantined('nats')
    const done = await nats((t) => t.quarantine.count === 0 && t.state === 'idle')
    expect(done.lastError).toBeNull()
    const stored = await streamMessages(server.url, 'BENCH')
    const ids = stored.map((m) => m.msgId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual([...others.map((r) => r.id), bigId])
    const sent = JSON.parse(stored.at(-1)!.data)
    expect(sent).toMatchObject({ seq: big, topic: 'event', key: 'BIG', payload: { summary: 'huge' } })
  })
})
