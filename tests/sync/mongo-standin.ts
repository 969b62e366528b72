// A stand-in for a MongoDB database, because no MongoDB server can run on these machines (see
// the guide): it implements exactly the subset of MongoDB's semantics the sync sink relies on —
// updateOne with upsert (equality, $or, $exists, $lt on dotted paths; $set, $setOnInsert), unique
// indexes with E11000 on violation, unordered bulk writes that report per-write errors the way the
// driver's MongoBulkWriteError does — so the mapping and the idempotence logic can be tested. Its
// failures take the shapes the driver (mongodb 7.x, lib/bulk/common.js) gives them: per-write
// errors carry index, code, errmsg and errInfo (not keyPattern: the driver drops it); a failure of
// the whole bulk (server unreachable) is a MongoBulkWriteError without write errors wrapping the
// cause in errorResponse; a document over maxBsonObjectSize makes bulkWrite throw
// MongoInvalidArgumentError before anything is sent. The real driver against a real server is
// covered by mongo-live.test.ts when MONGODB_URL is set.
import { BSON } from 'mongodb'
import { BenchEvents } from '../../main/core/events'
import { Journal } from '../../main/core/journal'
import type { Store } from '../../main/core/store'
import { SyncService } from '../../main/core/sync'
import type { MongoConnection, MongoConnector, MongoDatabaseLike } from '../../main/core/sync/mongo/sink'
import { FAST, waitForTarget } from './helpers'

type Doc = Record<string, unknown>
/** A per-write error as the driver reports it (the server's document). */
type InjectedWriteError = { index: number; code?: number; errmsg?: string; errInfo?: unknown; errorLabels?: string[] }
type UpdateOne = { updateOne: { filter: Doc; update: { $set?: Doc; $setOnInsert?: Doc }; upsert?: boolean } }

export class StandInCollection {
  readonly docs: Doc[] = []
  readonly unique: string[][] = [['_id']]
  writes = 0
  private nextId = 1

  constructor(
    readonly name: string,
    private readonly db: StandInDb,
  ) {}

  async createIndex(keys: Record<string, 1 | -1>, options: { unique?: boolean }): Promise<string> {
    if (options.unique) this.unique.push(Object.keys(keys))
    return Object.keys(keys).join('_')
  }

  async bulkWrite(operations: unknown[], options: { ordered: boolean }): Promise<unknown> {
    for (const op of operations) {
      const u = (op as UpdateOne).updateOne
      if (
        u &&
        BSON.calculateObjectSize({ q: u.filter, u: u.update, upsert: true, multi: false }) >= this.db.maxBsonObjectSize
      )
        throw Object.assign(new Error(`Document is larger than the maximum size ${this.db.maxBsonObjectSize}`), {
          name: 'MongoInvalidArgumentError',
        })
    }
    if (this.db.down) {
      const cause = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' })
      throw Object.assign(new Error(cause.message), {
        name: 'MongoBulkWriteError',
        writeErrors: [],
        errorResponse: cause,
      })
    }
    if (options.ordered) throw new Error('the sink is expected to use unordered bulk writes')
    const writeErrors: InjectedWriteError[] = []
    operations.forEach((op, index) => {
      const u = (op as UpdateOne).updateOne
      if (!u || u.upsert !== true) throw new Error(`unexpected operation ${JSON.stringify(op)}`)
      const injected = this.db.failWrite?.(this.name, u.filter)
      if (injected) {
        writeErrors.push({ index, ...injected })
        return
      }
      this.writes++
      const found = this.docs.find((d) => matches(d, u.filter))
      if (found) {
        Object.assign(found, structuredClone(u.update.$set ?? {}))
        return
      }
      const doc: Doc = {}
      for (const [k, v] of Object.entries(u.filter)) if (!k.startsWith('$') && !isOperator(v)) doc[k] = v
      Object.assign(doc, structuredClone(u.update.$set ?? {}), structuredClone(u.update.$setOnInsert ?? {}))
      doc._id ??= `oid${this.nextId++}`
      const clash = this.unique.find((keys) => this.docs.some((d) => keys.every((k) => get(d, k) === get(doc, k))))
      if (clash) {
        const indexName = clash.length === 1 && clash[0] === '_id' ? '_id_' : clash.map((k) => `${k}_1`).join('_')
        const dup = clash.map((k) => `${k}: ${JSON.stringify(get(doc, k))}`).join(', ')
        writeErrors.push({
          index,
          code: 11000,
          errmsg: `E11000 duplicate key error collection: ${this.db.name}.${this.name} index: ${indexName} dup key: { ${dup} }`,
        })
        return
      }
      this.docs.push(doc)
    })
    if (writeErrors.length > 0)
      throw Object.assign(new Error(writeErrors[0]!.errmsg ?? 'write error'), {
        name: 'MongoBulkWriteError',
        code: writeErrors[0]!.code,
        writeErrors,
      })
    return { ok: 1 }
  }
}

export class StandInDb implements MongoDatabaseLike {
  readonly collections = new Map<string, StandInCollection>()
  /** While true every call fails as an unreachable server does. */
  down = false
  /**
   * Makes a write fail with a server error (e.g. document validation), per collection and filter.
   * The code may be left out: some servers and proxies refuse a write without one.
   */
  failWrite?: (collection: string, filter: Doc) => Omit<InjectedWriteError, 'index'> | undefined
  /** The server's limit on one document (and on one update statement), 16 MiB on a real server. */
  maxBsonObjectSize = 16 * 1024 * 1024
  /** The database name in error messages. */
  name = 'bench'

  collection(name: string): StandInCollection {
    let c = this.collections.get(name)
    if (!c) this.collections.set(name, (c = new StandInCollection(name, this)))
    return c
  }

  /** The database name of every connection the sink opened. */
  readonly databases: string[] = []

  async command(): Promise<Doc> {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' })
    return { ok: 1 }
  }

  /** Documents of a collection without the stand-in's generated _id, sorted for comparison. */
  snapshot(name: string): Doc[] {
    return structuredClone(this.collection(name).docs).sort((a, b) => String(a._id).localeCompare(String(b._id)))
  }
}

export function standInConnector(db: StandInDb): MongoConnector {
  return async (_url, database): Promise<MongoConnection> => {
    db.databases.push(database)
    if (db.down) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' })
    return { db, close: async () => {} }
  }
}

/**
 * The real sync service whose MongoDB target is `db`: configured with `mongo` (unless null), not
 * started, closed by `cleanups`. `mongo(predicate)` waits for a status of the target that matches.
 */
export async function standInSync(
  store: Store,
  db: StandInDb,
  cleanups: (() => Promise<void> | void)[],
  options: { journal?: boolean; mongo?: { url?: string; database?: string } | null } = {},
) {
  const events = new BenchEvents()
  const sync = new SyncService({
    store,
    events,
    journal: options.journal ? new Journal(store, events) : undefined,
    tuning: FAST,
    mongoConnector: standInConnector(db),
  })
  cleanups.push(() => sync.close())
  const mongo =
    options.mongo === undefined ? { url: 'mongodb://central.example:27017', database: 'bench' } : options.mongo
  if (mongo) await sync.configure({ mongo })
  const waitForMongo = (predicate: Parameters<typeof waitForTarget>[3]) =>
    waitForTarget(events, () => sync.status(), 'mongo', predicate)
  return { sync, events, mongo: waitForMongo }
}

function isOperator(v: unknown): boolean {
  return Boolean(v && typeof v === 'object' && Object.keys(v).some((k) => k.startsWith('$')))
}

function get(doc: Doc, path: string): unknown {
  let v: unknown = doc
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Doc)[part] : undefined
  return v
}

function matches(doc: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$or') return (cond as Doc[]).some((f) => matches(doc, f))
    const value = get(doc, key)
    if (cond && typeof cond === 'object' && isOperator(cond)) {
      return Object.entries(cond).every(([op, arg]) => {
        if (op === '$exists') return (value !== undefined) === arg
        if (op === '$lt') return value !== undefined && (value as string) < (arg as string)
        throw new Error(`stand-in does not implement ${op}`)
      })
    }
    return value === cond
  })
}
