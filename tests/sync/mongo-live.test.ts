// Round trip against a real MongoDB, with the official driver. Skipped unless MONGODB_URL is set
// (no MongoDB server can be installed on the CI machines). Run it with, for example:
//   docker run --rm -d -p 27017:27017 mongo:7
//   MONGODB_URL=mongodb://127.0.0.1:27017 npx vitest run tests/sync/mongo-live.test.ts
// It writes into a database of its own (bench_sync_test_<random>) and drops it afterwards.
import { randomBytes } from 'node:crypto'
import { MongoClient } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { BenchEvents } from '../../main/core/events'
import { DeviceStatus } from '../../main/core/store'
import { SyncService } from '../../main/core/sync'
import { FAST, produce, tempDir } from './helpers'
import { openBenchStore, databaseFile } from '../../main/core/database'

const URL = process.env.MONGODB_URL
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe.skipIf(!URL)('MongoDB target against MONGODB_URL', () => {
  it('upserts devices in Oktopus shape, events and snapshots, and a replay changes nothing', async () => {
    const database = `bench_sync_test_${randomBytes(4).toString('hex')}`
    const client = new MongoClient(URL!)
    await client.connect()
    cleanups.push(async () => {
      await client.db(database).dropDatabase()
      await client.close()
    })
    const tmp = tempDir()
    const store = openBenchStore(databaseFile(tmp.dir))
    cleanups.push(tmp.cleanup, () => store.close())
    store.devices.upsert('LIVE-1', {
      manufacturer: 'ACME',
      productClass: 'R1',
      model: 'Router One',
      softwareVersion: '1.0',
      alias: 'desk',
      status: DeviceStatus.Online,
    })
    produce(store, 500)
    store.parameters.upsert('LIVE-1', [{ name: 'Device.DeviceInfo.SoftwareVersion', value: '1.0' }])
    store.events.append({ kind: 'system', summary: 'dotted detail', detail: { 'Device.X': 1 } })

    const drain = async () => {
      const sync = new SyncService({ store, events: new BenchEvents(), tuning: FAST })
      await sync.configure({ mongo: { url: URL!, database } })
      const summary = await sync.drainOnce()
      await sync.close()
      return summary.targets[0]!
    }
    expect(await drain()).toMatchObject({ remaining: 0, error: null })

    const db = client.db(database)
    const device = await db.collection('devices').findOne({ sn: 'LIVE-1' }, { projection: { _id: 0, bench: 0 } })
    expect(device).toEqual({
      sn: 'LIVE-1',
      model: 'Router One',
      customer: '',
      vendor: 'ACME',
      version: '1.0',
      productclass: 'R1',
      alias: 'desk',
      status: 2,
      mqtt: 0,
      stomp: 0,
      websockets: 0,
      cwmp: 2,
    })
    const indexes = await db.collection('devices').indexes()
    expect(indexes.find((i) => i.key.sn === 1)?.unique).toBe(true)
    expect(await db.collection('events').countDocuments()).toBe(501)
    expect(await db.collection('parameters').countDocuments()).toBe(1)
    const snapshot = async () => ({
      devices: await db.collection('devices').find().sort({ sn: 1 }).toArray(),
      events: await db.collection('events').find().sort({ _id: 1 }).toArray(),
      parameters: await db.collection('parameters').find().sort({ _id: 1 }).toArray(),
    })
    const before = await snapshot()

    store.db.prepare('DELETE FROM sync_cursors').run()
    expect(await drain()).toMatchObject({ remaining: 0, error: null })
    expect(await snapshot()).toEqual(before)
  })

  it('quarantines a write the validator refuses, sends the rest, and Retry stores it once the rule is relaxed', async () => {
    const database = `bench_sync_test_${randomBytes(4).toString('hex')}`
    const client = new MongoClient(URL!)
    await client.connect()
    cleanups.push(async () => {
      await client.db(database).dropDatabase()
      await client.close()
    })
    const db = client.db(database)
    await db.createCollection('events', { validator: { summary: { $ne: 'refused by the validator' } } })
    const tmp = tempDir()
    const store = openBenchStore(databaseFile(tmp.dir))
    cleanups.push(tmp.cleanup, () => store.close())
    produce(store, 20, 'before')
    const refused = store.events.append({ kind: 'system', serial: 'BAD-1', summary: 'refused by the validator' })
    produce(store, 20, 'after')

    const drain = async () => {
      const sync = new SyncService({ store, events: new BenchEvents(), tuning: FAST })
      await sync.configure({ mongo: { url: URL!, database } })
      const summary = await sync.drainOnce()
      const status = sync.status().targets.find((t) => t.target === 'mongo')!
      await sync.close()
      return { summary: summary.targets[0]!, status }
    }
    const first = await drain()
    expect(first.summary).toMatchObject({ remaining: 0, quarantined: 1, error: null })
    expect(first.status.quarantine.rows[0]!.reason).toMatch(/validation rules refuse the document/)
    expect(await db.collection('events').countDocuments()).toBe(40)

    await db.command({ collMod: 'events', validator: {} })
    const second = await drain()
    expect(second.summary).toMatchObject({ remaining: 0, quarantined: 0, error: null })
    expect(await db.collection('events').countDocuments({ _id: refused.id as never })).toBe(1)
  })
})
