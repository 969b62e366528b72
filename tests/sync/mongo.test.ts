// The MongoDB target: the mapping to Oktopus' device shape and our collections, and replays that
// change nothing. No MongoDB server can run here, so the database is the stand-in of
// mongo-standin.ts (which says what it implements); everything else — the store, the outbox, the
// relay, the sink — is the real code. mongo-live.test.ts runs the same path against a real server
// when MONGODB_URL is set.
import { afterEach, describe, expect, it } from 'vitest'
import { DeviceStatus, Store } from '../../main/core/store'
import { mongoDatabase, mongoWrites, storable } from '../../main/core/sync/mongo/mapping'
import { openTempStore, produce } from './helpers'
import { StandInDb, standInSync } from './mongo-standin'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function openStore(): Store {
  return openTempStore(cleanups)
}

function mongoSync(store: Store, db: StandInDb) {
  return standInSync(store, db, cleanups)
}

function informDevice(store: Store, serial: string, patch: Parameters<Store['devices']['upsert']>[1], now?: number) {
  return store.devices.upsert(
    serial,
    {
      oui: '00E0FC',
      manufacturer: 'Huawei',
      productClass: 'HG8245',
      model: 'EchoLife HG8245',
      softwareVersion: 'V3R017',
      hardwareVersion: 'A',
      connectionRequestPassword: 'cr-secret',
      status: DeviceStatus.Online,
      ...patch,
    },
    now,
  )
}

describe('MongoDB mapping', () => {
  it("maps a device to Oktopus' document (sn, model, vendor, version, productclass, alias, status)", () => {
    const store = openStore()
    informDevice(store, 'HW-0001', { alias: 'bench 3' })
    const [row] = store.outbox.after(0, 10)
    const [write] = mongoWrites(row!)
    expect(write!.collection).toBe('devices')
    expect(write!.filter).toMatchObject({ sn: 'HW-0001' })
    expect(write!.update.$set).toMatchObject({
      sn: 'HW-0001',
      model: 'EchoLife HG8245',
      vendor: 'Huawei',
      version: 'V3R017',
      productclass: 'HG8245',
      alias: 'bench 3',
      status: 2,
      cwmp: 2,
      bench: { rowId: row!.id, site: store.siteId, oui: '00E0FC', hardwareVersion: 'A' },
    })
    expect(write!.update.$setOnInsert).toEqual({ customer: '', mqtt: 0, stomp: 0, websockets: 0 })
    expect(JSON.stringify(write)).not.toContain('cr-secret')
  })

  it('maps events, parameter snapshots and runs by id, and leaves raw Informs to NATS', () => {
    const store = openStore()
    const logged = store.events.append({ kind: 'rpc', serial: 'SN1', summary: 'GetParameterValues', detail: { n: 2 } })
    store.devices.upsert('SN1', {})
    store.parameters.upsert('SN1', [{ name: 'Device.DeviceInfo.SoftwareVersion', value: '1.2', type: 'xsd:string' }])
    store.transaction(() => store.outbox.append('inform', 'SN1', '<soap:Envelope/>'))
    store.transaction(() => store.outbox.append('run', 'SN1', { id: 'RUN1', status: 'done', serial: 'SN1' }))
    const writes = store.outbox.after(0, 10).map((row) => ({ topic: row.topic, writes: mongoWrites(row), row }))
    const event = writes.find((w) => w.topic === 'event')!
    expect(event.writes).toEqual([
      {
        collection: 'events',
        filter: { _id: logged.id },
        update: {
          $setOnInsert: expect.objectContaining({ kind: 'rpc', serial: 'SN1', detail: { n: 2 }, site: store.siteId }),
        },
        key: '_id',
      },
    ])
    const params = writes.find((w) => w.topic === 'parameters')!
    expect(params.writes[0]).toMatchObject({ collection: 'parameters', filter: { _id: params.row.id } })
    expect(writes.find((w) => w.topic === 'inform')!.writes).toEqual([])
    const run = writes.find((w) => w.topic === 'run')!.writes[0]!
    expect(run).toMatchObject({ collection: 'runs', filter: { _id: 'RUN1' }, update: { $set: { status: 'done' } } })
  })

  it('stores values MongoDB would refuse as field names as JSON text', () => {
    expect(storable({ detail: { 'Device.WiFi.SSID': 'x' }, ok: { a: [{ b: 1 }] }, op: { $set: 1 } })).toEqual({
      detail: '{"Device.WiFi.SSID":"x"}',
      ok: { a: [{ b: 1 }] },
      op: '{"$set":1}',
    })
  })
})

describe('MongoDB database, as Oktopus reads it (no MongoDB server here: the name the sink connects with)', () => {
  it('uses the one set, else the one the URL names, else "adapter"; devices go to "devices"', async () => {
    expect(mongoDatabase({ url: 'mongodb://central:27017/adapter', database: '' })).toBe('adapter')
    expect(mongoDatabase({ url: 'mongodb://u:p%2F@a:1,b:2/ops%2D1?authSource=admin', database: '' })).toBe('ops-1')
    expect(mongoDatabase({ url: 'mongodb+srv://cluster.example/?retryWrites=true', database: '' })).toBe('adapter')
    expect(mongoDatabase({ url: 'mongodb://central:27017', database: '' })).toBe('adapter')
    expect(mongoDatabase({ url: 'mongodb://central:27017/adapter', database: 'lab' })).toBe('lab')

    const store = openStore()
    const db = new StandInDb()
    informDevice(store, 'HW-0001', {})
    const { sync, mongo } = await standInSync(store, db, cleanups, { mongo: null })
    expect(sync.settings().mongo.database).toBe('')
    await sync.configure({ mongo: { url: 'mongodb://central.example:27017/oktopus_adapter' } })
    sync.start()
    await mongo((t) => t.backlog === 0 && t.state === 'idle')
    expect(db.databases.at(-1)).toBe('oktopus_adapter')
    expect(db.snapshot('devices')).toEqual([expect.objectContaining({ sn: 'HW-0001' })])
    // A database that cannot be one is refused, whether set or named in the URL.
    await expect(sync.configure({ mongo: { database: 'a.b' } })).rejects.toThrow(/MongoDB database name/)
    await expect(sync.configure({ mongo: { url: 'mongodb://h/a.b' } })).rejects.toThrow(/"a\.b" \(from the URL\)/)
  })
})

describe('MongoDB target (stand-in database)', () => {
  it('drains every topic, and a full replay changes nothing', async () => {
    const store = openStore()
    const db = new StandInDb()
    informDevice(store, 'HW-0001', {})
    informDevice(store, 'HW-0001', { softwareVersion: 'V3R018', status: DeviceStatus.Offline })
    produce(store, 300)
    store.parameters.upsert('HW-0001', [{ name: 'Device.DeviceInfo.UpTime', value: '42', type: 'xsd:unsignedInt' }])
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    await mongo((t) => t.backlog === 0 && t.state === 'idle')

    expect(db.snapshot('devices')).toEqual([
      expect.objectContaining({ sn: 'HW-0001', version: 'V3R018', status: 0, cwmp: 0, vendor: 'Huawei' }),
    ])
    expect(db.collection('events').docs).toHaveLength(300)
    expect(db.collection('parameters').docs).toHaveLength(1)
    const before = { devices: db.snapshot('devices'), events: db.snapshot('events'), params: db.snapshot('parameters') }
    const writes = db.collection('events').writes

    // Replay everything from the start, as after a lost cursor.
    await sync.close()
    store.db.prepare('DELETE FROM sync_cursors').run()
    const again = await mongoSync(store, db)
    again.sync.start()
    await again.mongo((t) => t.backlog === 0 && t.state === 'idle')
    expect(db.collection('events').writes).toBeGreaterThan(writes)
    expect({
      devices: db.snapshot('devices'),
      events: db.snapshot('events'),
      params: db.snapshot('parameters'),
    }).toEqual(before)
  })

  it('keeps the newest device record when two laptops send the same CPE out of order', async () => {
    const older = openStore()
    const newer = openStore()
    const db = new StandInDb()
    const t0 = Date.now()
    informDevice(older, 'SHARED-1', { softwareVersion: 'old' }, t0)
    informDevice(newer, 'SHARED-1', { softwareVersion: 'new' }, t0 + 60_000)
    for (const store of [newer, older]) {
      const { sync } = await mongoSync(store, db)
      const summary = await sync.drainOnce()
      expect(summary.targets[0]).toMatchObject({ target: 'mongo', remaining: 0, error: null })
    }
    expect(db.collection('devices').docs).toEqual([expect.objectContaining({ sn: 'SHARED-1', version: 'new' })])
  })

  it('retries a write that failed for now without sending again what was acknowledged after it, even across a restart', async () => {
    const store = openStore()
    const db = new StandInDb()
    produce(store, 100)
    const poison = store.outbox.after(0, 100)[40]!
    const poisonEventId = (poison.payload as { id: string }).id
    db.failWrite = (collection, filter) =>
      collection === 'events' && filter._id === poisonEventId
        ? { code: 50, errmsg: 'operation exceeded time limit' }
        : undefined

    const first = await mongoSync(store, db)
    first.sync.start()
    const stuck = await first.mongo((t) => t.state === 'retrying')
    expect(stuck.cursor).toBe(poison.seq - 1)
    expect(stuck.lastError!.message).toMatch(/refused a write to events: operation exceeded time limit/)
    expect(stuck.quarantine.count).toBe(0)
    expect(stuck.lastError!.hint).toMatch(/busy.*retried automatically/)
    await first.sync.close()
    const acked = store.db.prepare("SELECT COUNT(*) AS n FROM sync_acked WHERE target = 'mongo'").get() as { n: number }
    expect(acked.n).toBe(59)
    expect(db.collection('events').writes).toBe(99)

    // After a restart, only the refused row goes out again once the server accepts it.
    db.failWrite = undefined
    const second = await mongoSync(store, db)
    second.sync.start()
    const done = await second.mongo((t) => t.backlog === 0 && t.state === 'idle')
    expect(done.cursor).toBe(store.outbox.maxSeq())
    expect(db.collection('events').writes).toBe(100)
    expect(db.collection('events').docs).toHaveLength(100)
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM sync_acked').get()).toEqual({ n: 0 })
  })

  it('says what to do when the server cannot be reached, and keeps every row', async () => {
    const store = openStore()
    const db = new StandInDb()
    db.down = true
    produce(store, 10)
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    const failing = await mongo((t) => t.state === 'retrying')
    expect(failing.lastError!.message).toBe('MongoDB at mongodb://central.example:27017 cannot be reached (connecting)')
    expect(failing.lastError!.hint).toMatch(/mongod is running.*Nothing is lost/s)
    expect(failing.backlog).toBe(10)
    db.down = false
    sync.syncNow()
    await mongo((t) => t.backlog === 0 && t.state === 'idle')
    expect(db.collection('events').docs).toHaveLength(10)
  })
})
