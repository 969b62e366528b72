// A write MongoDB refuses for good (validation, a unique index of someone else's, a document too
// large) must not stop sync for every row after it: it goes to the same quarantine as NATS rows
// over max_payload. Passing failures (unreachable, interrupted, timed out) keep being retried.
// A write refused without an error code (or with one that means nothing passing) is set aside too.
// No MongoDB server can run on these machines, so the database is the stand-in of
// mongo-standin.ts (a stand-in, not MongoDB: it reproduces the error shapes the driver gives);
// the store, the outbox, the relay, the quarantine and the sink are the real code.
// mongo-live.test.ts runs the validation case against a real server when MONGODB_URL is set.
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../main/core/store'
import type { MongoWrite } from '../../main/core/sync/mongo/mapping'
import { classifyWriteError, duplicateIndex } from '../../main/core/sync/mongo/refusals'
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
  return standInSync(store, db, cleanups, { journal: true })
}

const eventWrite: MongoWrite = { collection: 'events', filter: { _id: 'E1' }, update: { $setOnInsert: {} }, key: '_id' }
const deviceWrite: MongoWrite = { collection: 'devices', filter: { sn: 'S1' }, update: { $set: {} }, key: 'sn' }
const where = 'MongoDB at mongodb://central:27017'

describe('which refusals are for good', () => {
  it('quarantines validation failures, foreign unique indexes, too large and malformed documents', () => {
    const validation = classifyWriteError(
      {
        index: 0,
        code: 121,
        errmsg: 'Document failed validation',
        errInfo: {
          details: {
            operatorName: '$jsonSchema',
            schemaRulesNotSatisfied: [
              { operatorName: 'required', missingProperties: ['customer'] },
              { operatorName: 'properties', propertiesNotSatisfied: [{ propertyName: 'status' }] },
            ],
          },
        },
      },
      eventWrite,
      where,
    )
    expect(validation).toMatchObject({ ok: false, permanent: true })
    if (validation.ok) throw new Error('unreachable')
    expect(validation.error.message).toBe(
      `${where} refused a write to events: the collection's validation rules refuse the document (required: customer; properties: status)`,
    )
    expect(validation.error.hint).toMatch(/collMod.*Retry/)

    const foreign = classifyWriteError(
      {
        index: 0,
        code: 11000,
        errmsg: 'E11000 duplicate key error collection: bench.devices index: alias_1 dup key: { alias: "desk" }',
      },
      deviceWrite,
      where,
    )
    expect(foreign).toMatchObject({ ok: false, permanent: true })
    if (foreign.ok) throw new Error('unreachable')
    expect(foreign.error.message).toMatch(/unique index alias /)

    for (const code of [10334, 17419, 2, 52, 57, 66])
      expect(classifyWriteError({ index: 0, code, errmsg: 'x' }, eventWrite, where)).toMatchObject({ permanent: true })
  })

  it('takes a duplicate on the key the write looks up as done (an idempotent replay)', () => {
    const own = 'E11000 duplicate key error collection: adapter.devices index: sn_1 dup key: { sn: "S1" }'
    expect(classifyWriteError({ index: 0, code: 11000, errmsg: own }, deviceWrite, where)).toEqual({
      ok: true,
      duplicate: true,
    })
    const id = 'E11000 duplicate key error collection: bench.events index: _id_ dup key: { _id: "E1" }'
    expect(classifyWriteError({ index: 0, code: 11000, errmsg: id }, eventWrite, where)).toEqual({
      ok: true,
      duplicate: true,
    })
    // The same _id index is someone else's for a device write (looked up by sn).
    expect(classifyWriteError({ index: 0, code: 11000, errmsg: id }, deviceWrite, where)).toMatchObject({
      permanent: true,
    })
    expect(duplicateIndex({ index: 0, code: 11000, keyPattern: { sn: 1 } })).toBe('sn')
    expect(duplicateIndex({ index: 0, code: 11000, errmsg: 'E11000 index: site_1_ts_1 dup key: {}' })).toBe('site_1_ts')
  })

  it('retries what may pass next time: interrupted, not primary, timed out, not authorized, labelled retryable', () => {
    for (const code of [11602, 11600, 10107, 189, 91, 50, 262, 112, 13]) {
      const verdict = classifyWriteError({ index: 0, code, errmsg: 'passing' }, eventWrite, where)
      expect(verdict, `code ${code}`).toMatchObject({ ok: false, permanent: false })
    }
    // A label says so even when the code is unknown or missing.
    expect(
      classifyWriteError({ index: 0, errmsg: 'try again', errorLabels: ['RetryableWriteError'] }, eventWrite, where),
    ).toMatchObject({ ok: false, permanent: false })
    const unauthorized = classifyWriteError({ index: 0, code: 13, errmsg: 'not authorized' }, eventWrite, where)
    if (unauthorized.ok) throw new Error('unreachable')
    expect(unauthorized.error.hint).toMatch(/readWrite role/)
  })

  it('sets aside a refusal without an error code, or with one that means nothing passing', () => {
    // Some servers and proxies refuse one write of a bulk with no code at all: the server answered
    // (the rest of the bulk was stored), so nothing says a later attempt would do better.
    for (const we of [{ index: 0, errmsg: 'write rejected by policy' }, { index: 0, code: 0 }, { index: 0 }]) {
      const verdict = classifyWriteError(we, eventWrite, where)
      expect(verdict, JSON.stringify(we)).toMatchObject({ ok: false, permanent: true })
      if (verdict.ok) throw new Error('unreachable')
      expect(verdict.error.message).toMatch(
        /^MongoDB at mongodb:\/\/central:27017 refused a write to events without an error code \(/,
      )
      expect(verdict.error.hint).toMatch(/set aside.*server's log.*Retry on the Sync page/)
    }
    const said = classifyWriteError({ index: 0, errmsg: 'write rejected by policy' }, eventWrite, where)
    if (said.ok) throw new Error('unreachable')
    expect(said.error.message).toMatch(/without an error code \(write rejected by policy\)$/)
    const unknown = classifyWriteError({ index: 0, code: 99999, errmsg: 'strange' }, eventWrite, where)
    expect(unknown).toMatchObject({ ok: false, permanent: true })
    if (unknown.ok) throw new Error('unreachable')
    expect(unknown.error.message).toMatch(/refused a write to events: strange \(code 99999\)$/)
    expect(unknown.error.hint).toMatch(/error codes.*Retry on the Sync page/)
  })
})

describe('the relay with refused MongoDB writes (stand-in database)', () => {
  it('quarantines a validation failure in the move of the cursor, sends the rows after it, and Retry sends it once accepted', async () => {
    const store = openStore()
    const db = new StandInDb()
    produce(store, 30, 'before')
    store.events.append({ kind: 'system', serial: 'BAD-1', summary: 'refused by the validator' })
    const bad = store.outbox.maxSeq()
    const badRow = store.outbox.after(bad - 1, 1)[0]!
    const badId = (badRow.payload as { id: string }).id
    produce(store, 30, 'after')
    db.failWrite = (collection, filter) =>
      collection === 'events' && filter._id === badId
        ? { code: 121, errmsg: 'Document failed validation', errInfo: { details: { schemaRulesNotSatisfied: [] } } }
        : undefined

    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    const settled = await mongo((t) => t.quarantine.count === 1 && t.backlog === 0 && t.state === 'idle')
    expect(settled.quarantine.rows).toEqual([
      expect.objectContaining({
        seq: bad,
        topic: 'event',
        key: 'BAD-1',
        attempts: 1,
        reason: expect.stringMatching(/refused a write to events: the collection's validation rules refuse/),
        hint: expect.stringMatching(/collMod.*Retry/),
      }),
    ])
    // The cursor passed it: everything else is stored, and the event log says so once.
    expect(settled.cursor).toBe(store.outbox.maxSeq())
    const stored = db.collection('events').docs.map((d) => d._id)
    expect(stored).not.toContain(badId)
    expect(stored).toHaveLength(store.outbox.maxSeq() - 1)
    const notices = store.events.query({}).filter((e) => e.kind === 'sync' && /set aside/.test(e.summary))
    expect(notices).toHaveLength(1)
    expect(notices[0]!.summary).toMatch(new RegExp(`Sync to MongoDB: outbox row ${bad} \\(event\\) set aside`))

    // Still refused: the retry leaves it there and counts the attempt.
    sync.retryQuarantined('mongo')
    await mongo((t) => t.quarantine.rows[0]?.attempts === 2)
    // The validator is relaxed: the retry stores it, once.
    db.failWrite = undefined
    const writes = db.collection('events').writes
    sync.retryQuarantined('mongo')
    const done = await mongo((t) => t.quarantine.count === 0 && t.state === 'idle')
    expect(done.lastError).toBeNull()
    expect(db.collection('events').writes).toBe(writes + 1)
    expect(db.collection('events').docs.filter((d) => d._id === badId)).toEqual([
      expect.objectContaining({ serial: 'BAD-1', summary: 'refused by the validator' }),
    ])
  })

  it("does not loop when the validator refuses every event, the quarantine's own notices included", async () => {
    const store = openStore()
    const db = new StandInDb()
    produce(store, 5)
    db.failWrite = (collection) =>
      collection === 'events' ? { code: 121, errmsg: 'Document failed validation' } : undefined
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    // 5 rows refused, 5 notices of it (refused in turn, and not noticed again): then nothing more.
    const settled = await mongo((t) => t.quarantine.count === 10 && t.backlog === 0 && t.state === 'idle')
    expect(store.outbox.maxSeq()).toBe(10)
    expect(settled.cursor).toBe(10)
    expect(db.collection('events').docs).toEqual([])
  })

  it('quarantines a duplicate in a unique index that is not its own', async () => {
    const store = openStore()
    const db = new StandInDb()
    // Someone made summaries unique on the central server, and one is taken already.
    await db.collection('events').createIndex({ summary: 1 }, { unique: true })
    db.collection('events').docs.push({ _id: 'theirs', summary: 'record 3' })
    produce(store, 8)
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    const settled = await mongo((t) => t.quarantine.count === 1 && t.backlog === 0 && t.state === 'idle')
    expect(settled.quarantine.rows[0]).toMatchObject({
      seq: 4,
      reason: expect.stringMatching(/another document already has this value in the unique index summary /),
    })
    // Theirs, and every row but that one (the log's notice of it included).
    expect(db.collection('events').docs).toHaveLength(1 + store.outbox.maxSeq() - 1)
    expect(db.collection('events').docs.filter((d) => d.summary === 'record 3')).toEqual([
      { _id: 'theirs', summary: 'record 3' },
    ])
  })

  it('quarantines a document larger than the server takes and writes the rest of its bulk', async () => {
    const store = openStore()
    const db = new StandInDb()
    db.maxBsonObjectSize = 64 * 1024
    produce(store, 10, 'before')
    store.events.append({ kind: 'system', serial: 'BIG', summary: 'huge', detail: { blob: 'x'.repeat(100_000) } })
    const big = store.outbox.maxSeq()
    produce(store, 10, 'after')
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    const settled = await mongo((t) => t.quarantine.count === 1 && t.backlog === 0 && t.state === 'idle')
    expect(settled.quarantine.rows[0]).toMatchObject({
      seq: big,
      key: 'BIG',
      reason: expect.stringMatching(/larger than MongoDB stores/),
    })
    expect(db.collection('events').docs.map((d) => d.summary)).not.toContain('huge')
    expect(db.collection('events').docs).toHaveLength(store.outbox.maxSeq() - 1)
  })

  it('keeps retrying, and counts nothing as sent, when the server goes away mid-way', async () => {
    const store = openStore()
    const db = new StandInDb()
    produce(store, 10)
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    await mongo((t) => t.backlog === 0 && t.state === 'idle')
    // Connected and idle; the server goes away before the next rows.
    db.down = true
    produce(store, 10, 'later')
    sync.syncNow()
    const failing = await mongo((t) => t.state === 'retrying' && t.lastError !== null)
    // The 10 rows, and the event log's line saying sync fails (none of them counted as sent).
    expect(failing.backlog).toBe(store.outbox.maxSeq() - 10)
    expect(failing.backlog).toBeGreaterThanOrEqual(10)
    expect(db.collection('events').docs).toHaveLength(10)
    expect(failing.quarantine.count).toBe(0)
    expect(failing.lastError!.message).toMatch(/MongoDB at mongodb:\/\/central\.example:27017 cannot be reached/)
    db.down = false
    sync.syncNow()
    const done = await mongo((t) => t.backlog === 0 && t.state === 'idle')
    expect(done.quarantine.count).toBe(0)
    expect(db.collection('events').docs).toHaveLength(store.outbox.maxSeq())
  })

  it('sets aside a write refused without an error code, sends the rows after it, and shows what to do', async () => {
    const store = openStore()
    const db = new StandInDb()
    produce(store, 12)
    const refusedId = (store.outbox.after(0, 12)[4]!.payload as { id: string }).id
    db.failWrite = (collection, filter) =>
      collection === 'events' && filter._id === refusedId ? { errmsg: 'rejected by the proxy' } : undefined
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    // Before the fix this row was retried forever and held every row after it.
    const settled = await mongo((t) => t.quarantine.count === 1 && t.backlog === 0 && t.state === 'idle')
    expect(settled.cursor).toBe(store.outbox.maxSeq())
    expect(settled.quarantine.rows).toEqual([
      expect.objectContaining({
        seq: 5,
        reason:
          'MongoDB at mongodb://central.example:27017 refused a write to events without an error code (rejected by the proxy)',
        hint: expect.stringMatching(/server's log.*press Retry on the Sync page/),
      }),
    ])
    expect(db.collection('events').docs.map((d) => d._id)).not.toContain(refusedId)
    expect(db.collection('events').docs).toHaveLength(store.outbox.maxSeq() - 1)
    // Fixed on the server: Retry stores it.
    db.failWrite = undefined
    sync.retryQuarantined('mongo')
    await mongo((t) => t.quarantine.count === 0 && t.state === 'idle')
    expect(db.collection('events').docs.filter((d) => d._id === refusedId)).toHaveLength(1)
  })

  it('keeps retrying with back-off a write failure labelled retryable, whatever its code', async () => {
    const store = openStore()
    const db = new StandInDb()
    produce(store, 6)
    let refusals = 0
    db.failWrite = (collection) => {
      if (collection !== 'events') return undefined
      refusals++
      return { errmsg: 'connection pool cleared', errorLabels: ['RetryableWriteError'] }
    }
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    // Tried again and again (attempt after attempt fails), never set aside, nothing passed.
    const failing = await mongo((t) => t.state === 'retrying' && t.nextRetryAt !== null && refusals >= 3)
    expect(failing.quarantine.count).toBe(0)
    expect(failing.cursor).toBe(0)
    expect(failing.lastError!.hint).toMatch(/retried automatically/)
    db.failWrite = undefined
    sync.syncNow()
    await mongo((t) => t.backlog === 0 && t.state === 'idle')
    expect(db.collection('events').docs).toHaveLength(store.outbox.maxSeq())
  })

  it('keeps a passing per-write failure in the outbox, with nothing set aside', async () => {
    const store = openStore()
    const db = new StandInDb()
    produce(store, 20)
    const stuckId = (store.outbox.after(0, 20)[9]!.payload as { id: string }).id
    db.failWrite = (collection, filter) =>
      filter._id === stuckId && collection === 'events'
        ? { code: 11602, errmsg: 'operation was interrupted because of a replica set state change' }
        : undefined
    const { sync, mongo } = await mongoSync(store, db)
    sync.start()
    const stuck = await mongo((t) => t.state === 'retrying')
    expect(stuck.cursor).toBe(9)
    expect(stuck.quarantine.count).toBe(0)
    expect(stuck.lastError!.message).toMatch(/interrupted because of a replica set state change/)
    db.failWrite = undefined
    sync.syncNow()
    await mongo((t) => t.backlog === 0 && t.state === 'idle')
    // The 20 rows and the event log's lines (sync failing, then working again).
    expect(db.collection('events').docs).toHaveLength(store.outbox.maxSeq())
    expect(db.collection('events').docs.filter((d) => d._id === stuckId)).toHaveLength(1)
  })
})
