// The relay against a real nats-server with JetStream (Debian's package), started per test on a
// loopback port with its own store folder.
import { rmSync } from 'node:fs'
import { connect as connectTcp, createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BenchEvents } from '../../main/core/events'
import { Store } from '../../main/core/store'
import { SyncService } from '../../main/core/sync'
import { FAST, produce, streamCount, streamMessages, tempDir, until, waitForTarget } from './helpers'
import { startNatsServer, type NatsServer } from './nats-server'
import { openBenchStore, databaseFile } from '../../main/core/database'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(options: { oktopus?: boolean } = {}) {
  const tmp = tempDir()
  const server = await startNatsServer()
  const store = openBenchStore(databaseFile(tmp.dir))
  const events = new BenchEvents()
  const sync = new SyncService({ store, events, tuning: FAST })
  await sync.configure({ nats: { url: server.url, oktopus: options.oktopus ?? false } })
  cleanups.push(
    tmp.cleanup,
    () => server.dispose(),
    () => store.close(),
    () => sync.close(),
  )
  const nats = (predicate: Parameters<typeof waitForTarget>[3], timeoutMs?: number) =>
    waitForTarget(events, () => sync.status(), 'nats', predicate, timeoutMs)
  return { store, events, sync, server, nats }
}

/** The stream holds each outbox row exactly once: same count, same ids, in outbox order. */
async function expectExactlyOnce(server: NatsServer, store: Store) {
  const rows = store.outbox.after(0, 1_000_000)
  const messages = await streamMessages(server.url, 'BENCH')
  const ids = messages.map((m) => m.msgId)
  expect(new Set(ids).size).toBe(ids.length)
  expect(messages.length).toBe(rows.length)
  expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)))
  return messages
}

describe('NATS relay', () => {
  it('sends 10,000 records produced while the server was down once it starts, each once', async () => {
    const { store, sync, server, nats } = await setup()
    await server.kill()
    sync.start()
    const failing = await nats((t) => t.lastError !== null && t.state === 'retrying')
    expect(failing.lastError!.message).toMatch(/refused the connection/)
    expect(failing.lastError!.hint).toMatch(/running.*Nothing is lost/s)

    produce(store, 10_000)
    expect(sync.status().targets[0]!.backlog).toBe(10_000)

    await server.restart()
    sync.syncNow()
    const done = await nats((t) => t.backlog === 0 && t.state === 'idle')
    expect(done.cursor).toBe(store.outbox.maxSeq())
    expect(done.lastError).toBeNull()
    expect(done.connected).toBe(true)

    const messages = await expectExactlyOnce(server, store)
    const first = JSON.parse(messages[0]!.data)
    expect(messages[0]!.subject).toBe(`bench.${store.siteId}.event.SN0`)
    expect(first).toMatchObject({ topic: 'event', site: store.siteId, seq: 1, payload: { summary: 'record 0' } })
  })

  it('loses nothing and stores nothing twice when the server is killed in the middle of a drain', async () => {
    const { store, sync, server, nats } = await setup()
    produce(store, 10_000)
    sync.start()
    await nats((t) => (t.progress?.done ?? 0) >= 1000)
    await server.kill()
    const failing = await nats((t) => t.state === 'retrying')
    expect(failing.cursor).toBeLessThan(10_000)

    await server.restart()
    sync.syncNow()
    await nats((t) => t.backlog === 0 && t.state === 'idle')
    await expectExactlyOnce(server, store)
  })

  it('pauses, resumes and reports progress on the bus', async () => {
    const { store, sync, events, server, nats } = await setup()
    sync.start()
    await nats((t) => t.state === 'idle' && t.connected)
    sync.pause('nats')
    await nats((t) => t.state === 'paused')
    produce(store, 3000)
    sync.syncNow()
    expect(sync.status().targets[0]).toMatchObject({ state: 'paused', backlog: 3000 })
    expect(await streamCount(server.url, 'BENCH')).toBe(0)

    const progress: number[] = []
    const off = events.on('sync.status', (s) => {
      const p = s.targets[0]!.progress
      if (p) progress.push(p.done)
    })
    sync.resume('nats')
    const done = await nats((t) => t.backlog === 0 && t.state === 'idle')
    off()
    expect(done.sentSinceStart).toBe(3000)
    expect(progress.length).toBeGreaterThan(0)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(await streamCount(server.url, 'BENCH')).toBe(3000)
  })

  it('deletes sent rows past their retention, never unsent ones', async () => {
    const { store, sync, nats } = await setup()
    produce(store, 500)
    sync.start()
    await nats((t) => t.backlog === 0 && t.state === 'idle')
    sync.pause()
    produce(store, 200, 'unsent')
    // Retention 7 days: everything is younger, nothing goes.
    expect(await sync.prune()).toBe(0)
    await sync.configure({ retentionDays: 0 })
    await sync.prune()
    expect(store.outbox.count()).toBe(200)
    expect(store.outbox.after(0, 1).map((r) => (r.payload as { summary: string }).summary)).toEqual(['unsent 0'])
    // A second target that has sent nothing holds everything back.
    await sync.configure({ mongo: { url: 'mongodb://127.0.0.1:1/bench' } })
    sync.resume('nats')
    await nats((t) => t.backlog === 0 && t.state === 'idle')
    expect(await sync.prune()).toBe(0)
    expect(store.outbox.count()).toBe(200)
  })

  it('creates the stream again when the server comes back with an empty store', async () => {
    const { store, sync, server, nats } = await setup()
    produce(store, 100)
    sync.start()
    await nats((t) => t.backlog === 0 && t.state === 'idle')
    await server.kill()
    rmSync(join(server.storeDir, 'jetstream'), { recursive: true, force: true })
    await server.restart()
    produce(store, 50, 'after')
    sync.syncNow()
    const done = await nats((t) => t.backlog === 0 && t.state === 'idle')
    expect(done.notes).toContain('Created stream BENCH (subjects bench.>)')
    const messages = await streamMessages(server.url, 'BENCH')
    expect(messages.map((m) => m.msgId)).toEqual(store.outbox.after(100, 1000).map((r) => r.id))
  })

  it('records the acks in flight when stopped cleanly, so the next start sends none of those rows again', async () => {
    const { store, events, sync, server, nats } = await setup()
    produce(store, 20_000)
    sync.start()
    // Stop while batches are on the wire: their acks are on their way back.
    await nats((t) => t.state === 'sending')
    await sync.close()
    const cursor = store.db.prepare("SELECT seq FROM sync_cursors WHERE target = 'nats'").get() as { seq: number }
    const acked = store.db.prepare("SELECT COUNT(*) AS n FROM sync_acked WHERE target = 'nats'").get() as { n: number }
    // Everything the server stored before the stop was recorded as sent (cursor, or acked ahead of it).
    expect(await streamCount(server.url, 'BENCH')).toBe(cursor.seq + acked.n)

    // The next start sends only what was never sent: no message the server already had.
    const again = new SyncService({ store, events, tuning: FAST })
    cleanups.push(() => again.close())
    const summary = await again.drainOnce()
    expect(summary.targets[0]).toMatchObject({ duplicates: 0, remaining: 0 })
    await expectExactlyOnce(server, store)
  })

  it('stops at once while a connection attempt hangs', async () => {
    const silent = await silentServer()
    const { sync, events } = await hangingService(silent.url)
    sync.start()
    await waitForTarget(
      events,
      () => sync.status(),
      'nats',
      (t) => t.state === 'connecting',
    )
    await sync.close()
    expect(sync.status().targets[0]!.state).toBe('stopped')
  })

  it('stays paused, with no retry, when the attempt under way at Pause fails; Resume goes on', async () => {
    const silent = await silentServer()
    const { sync, events } = await hangingService(silent.url)
    const nats = (predicate: Parameters<typeof waitForTarget>[3]) =>
      waitForTarget(events, () => sync.status(), 'nats', predicate)
    sync.start()
    await until(() => silent.sockets.length === 1)
    await nats((t) => t.state === 'connecting')

    const whilePaused: string[] = []
    const off = events.on('sync.status', (s) => void whilePaused.push(s.targets[0]!.state))
    sync.pause('nats')
    expect(sync.status().targets[0]).toMatchObject({ state: 'paused', paused: true })
    // The server hangs up: the attempt under way fails while the target is paused.
    silent.sockets[0]!.destroy()
    const failed = await nats((t) => t.lastError !== null)
    expect(failed).toMatchObject({ state: 'paused', paused: true, nextRetryAt: null })
    expect(failed.lastError!.message).toMatch(/NATS/)

    // Try now leaves a paused target paused: it would start a retry at once if one were pending.
    sync.syncNow('nats')
    // Barrier: a connection opened after that is accepted after any the relay opened before it.
    const barrier = await silent.connectFromTest()
    expect(silent.sockets.filter((s) => s.remotePort !== barrier)).toHaveLength(1)
    expect(sync.status().targets[0]).toMatchObject({ state: 'paused', nextRetryAt: null })
    off()
    expect(whilePaused.length).toBeGreaterThan(0)
    expect(new Set(whilePaused)).toEqual(new Set(['paused']))

    sync.resume('nats')
    await until(() => silent.sockets.filter((s) => s.remotePort !== barrier).length === 2)
    const resumed = await nats((t) => t.state === 'connecting')
    expect(resumed.paused).toBe(false)
  })
})

/** A server that accepts TCP connections and never says anything: a connection attempt stays under way. */
async function silentServer() {
  const sockets: Socket[] = []
  const server = createServer((s) => void sockets.push(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  const clients: Socket[] = []
  cleanups.push(() => {
    for (const s of [...sockets, ...clients]) s.destroy()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return {
    url: `nats://127.0.0.1:${port}`,
    sockets,
    /** Opens a connection of the test's own, resolves with its local port once the server has accepted it. */
    async connectFromTest(): Promise<number> {
      const client = connectTcp(port, '127.0.0.1')
      clients.push(client)
      await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject))
      const local = client.localPort!
      await until(() => sockets.some((s) => s.remotePort === local))
      return local
    },
  }
}

/** A sync service whose connection attempts only end when the server hangs up (ten minutes' timeout). */
async function hangingService(url: string) {
  const tmp = tempDir()
  const store = openBenchStore(databaseFile(tmp.dir))
  cleanups.push(tmp.cleanup, () => store.close())
  const events = new BenchEvents()
  const sync = new SyncService({ store, events, tuning: { ...FAST, connectTimeoutMs: 600_000 } })
  cleanups.push(() => sync.close())
  await sync.configure({ nats: { url } })
  return { sync, events }
}
