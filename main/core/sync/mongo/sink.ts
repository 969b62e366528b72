import { BSON, MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb'
import type { OutboxRow } from '../../store/types'
import { SyncTargetError, errorCode, networkHint } from '../errors'
import { redactUrl } from '../settings'
import type { MongoTargetSettings, SendOutcome, SinkMessage, SyncSink } from '../types'
import { MONGO_INDEXES, mongoDatabase, mongoWrites, type MongoCollectionName, type MongoWrite } from './mapping'
import { errorMessage } from '../../errors'
import { bulkTooLargeLimit, classifyWriteError, type MongoWriteError } from './refusals'

/** The part of the driver's Db the sink uses, so tests can pass a stand-in (no MongoDB runs here). */
export interface MongoDatabaseLike {
  collection(name: string): {
    bulkWrite(operations: AnyBulkWriteOperation<Document>[], options: { ordered: boolean }): Promise<unknown>
    createIndex(keys: Record<string, 1 | -1>, options: { unique?: boolean }): Promise<string>
  }
  command(command: Document): Promise<Document>
}

export interface MongoConnection {
  db: MongoDatabaseLike
  close(): Promise<void>
}

export type MongoConnector = (url: string, database: string, timeoutMs: number) => Promise<MongoConnection>

export const driverConnector: MongoConnector = async (url, database, timeoutMs) => {
  const client = new MongoClient(url, {
    appName: 'bench-acs',
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  })
  await client.connect()
  return { db: client.db(database), close: () => client.close() }
}

export interface MongoSinkOptions {
  settings: MongoTargetSettings
  connectTimeoutMs?: number
  connector?: MongoConnector
}

/** MongoDB target: idempotent upserts (see mapping.ts), one unordered bulk write per collection. */
export class MongoSink implements SyncSink<MongoWrite> {
  readonly label = 'MongoDB'
  readonly url: string
  private conn: MongoConnection | undefined
  private healthy = false
  private closed = false
  private stop: () => void = () => {}
  private readonly closing = new Promise<void>((resolve) => (this.stop = resolve))

  constructor(private readonly options: MongoSinkOptions) {
    this.url = redactUrl(options.settings.url)
  }

  get connected(): boolean {
    return Boolean(this.conn && this.healthy)
  }

  notes(): string[] {
    return []
  }

  async connect(): Promise<void> {
    const timeout = this.options.connectTimeoutMs ?? 5000
    try {
      if (this.conn) {
        await this.unlessClosed(this.conn.db.command({ ping: 1 }))
      } else {
        const connector = this.options.connector ?? driverConnector
        const pending = connector(this.options.settings.url, mongoDatabase(this.options.settings), timeout)
        const conn = await this.unlessClosed(pending, (late) => void late.close().catch(() => {}))
        try {
          for (const index of MONGO_INDEXES) {
            await this.unlessClosed(
              conn.db.collection(index.collection).createIndex(index.keys, index.unique ? { unique: true } : {}),
            )
          }
        } catch (error) {
          await conn.close().catch(() => {})
          throw error
        }
        this.conn = conn
      }
      this.healthy = true
    } catch (error) {
      this.healthy = false
      throw mongoError(error, this.url, 'connecting')
    }
  }

  plan(row: OutboxRow): SinkMessage<MongoWrite>[] {
    return mongoWrites(row).map((payload, part) => ({ seq: row.seq, part, payload }))
  }

  async send(messages: SinkMessage<MongoWrite>[]): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = new Array(messages.length)
    const conn = this.conn
    if (!conn) {
      const error = new SyncTargetError(`MongoDB at ${this.url}: not connected`, 'It reconnects by itself.')
      return messages.map(() => ({ ok: false, error }))
    }
    const byCollection = new Map<MongoCollectionName, number[]>()
    messages.forEach((m, i) => {
      const list = byCollection.get(m.payload.collection) ?? []
      list.push(i)
      byCollection.set(m.payload.collection, list)
    })
    await Promise.all(
      [...byCollection].map(([collection, indexes]) => this.write(conn, collection, indexes, messages, outcomes)),
    )
    return outcomes
  }

  /**
   * One unordered bulk write; sets the outcome of each of its messages. A write the server
   * refuses for good is marked permanent (the relay quarantines its row, see refusals.ts); a
   * document the driver finds too large (it then sends none of the bulk) is marked so and the
   * others are written without it.
   */
  private async write(
    conn: MongoConnection,
    collection: MongoCollectionName,
    indexes: number[],
    messages: SinkMessage<MongoWrite>[],
    outcomes: SendOutcome[],
    sizeChecked = false,
  ): Promise<void> {
    const ops = indexes.map((i) => toOperation(messages[i]!.payload))
    for (const i of indexes) outcomes[i] = { ok: true }
    try {
      await conn.db.collection(collection).bulkWrite(ops, { ordered: false })
    } catch (error) {
      const writeErrors = bulkWriteErrors(error)
      if (writeErrors) {
        const where = `MongoDB at ${this.url}`
        let unplaced = false
        for (const we of writeErrors) {
          const i = Number.isInteger(we.index) ? indexes[we.index] : undefined
          if (i !== undefined) outcomes[i] = classifyWriteError(we, messages[i]!.payload, where)
          else unplaced = true
        }
        // A refusal that names no write of the bulk: none of it is known to be stored, and the
        // upserts are idempotent, so all of it is sent again.
        if (unplaced) {
          const error = new SyncTargetError(
            `MongoDB at ${this.url} refused a write to ${collection} without saying which one`,
            'Check the server (or the proxy in front of it) and its log; it is retried automatically.',
          )
          for (const i of indexes) if (outcomes[i]?.ok) outcomes[i] = { ok: false, error }
        }
        return
      }
      const limit = sizeChecked ? undefined : bulkTooLargeLimit(error)
      if (limit !== undefined) {
        const tooLarge = new Set(indexes.filter((i) => operationSize(messages[i]!.payload) >= limit - 1024))
        if (tooLarge.size > 0) {
          const fit = indexes.filter((i) => !tooLarge.has(i))
          for (const i of tooLarge)
            outcomes[i] = classifyWriteError(
              { index: 0, code: 10334, errmsg: `larger than the maximum size ${limit}` },
              messages[i]!.payload,
              `MongoDB at ${this.url}`,
            )
          if (fit.length > 0) await this.write(conn, collection, fit, messages, outcomes, true)
          return
        }
      }
      // The whole bulk failed (network, not primary, auth): nothing is known to be stored; all retried.
      const cause = unwrapped(error)
      if (isNetworkError(cause)) this.healthy = false
      const described = mongoError(cause, this.url, `writing ${collection}`)
      for (const i of indexes) outcomes[i] = { ok: false, error: described }
    }
  }

  /** Stops waiting when the sink is closed (a server that does not answer must not hold up quitting). */
  private async unlessClosed<T>(pending: Promise<T>, late?: (value: T) => void): Promise<T> {
    const stopped = new SyncTargetError(`MongoDB at ${this.url}: sync stopped`, 'It starts again with the app.')
    if (this.closed) throw stopped
    return Promise.race([
      pending,
      this.closing.then(() => {
        pending.then(
          (value) => late?.(value),
          () => {},
        )
        throw stopped
      }),
    ])
  }

  async close(): Promise<void> {
    this.closed = true
    this.stop()
    const conn = this.conn
    this.conn = undefined
    this.healthy = false
    await conn?.close().catch(() => {})
  }
}

function toOperation(w: MongoWrite): AnyBulkWriteOperation<Document> {
  return { updateOne: { filter: w.filter, update: w.update, upsert: true } }
}

/**
 * The per-write errors of a MongoBulkWriteError (the driver's WriteError keeps the server's
 * document in err). None when the whole bulk failed: the driver wraps a network error, a server
 * selection timeout or a command error in a MongoBulkWriteError with no write errors (and a write
 * concern error the same way): nothing is known to be stored then.
 */
function bulkWriteErrors(error: unknown): MongoWriteError[] | undefined {
  const e = error as { writeErrors?: unknown } | null
  if (!e || e.writeErrors === undefined || e.writeErrors === null) return undefined
  const list = (Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]) as (MongoWriteError & {
    err?: MongoWriteError
  })[]
  return list.length > 0 ? list.map((we) => we.err ?? we) : undefined
}

/** The error the driver wrapped in a MongoBulkWriteError (kept in errorResponse), else the error. */
function unwrapped(error: unknown): unknown {
  const inner = (error as { errorResponse?: unknown } | null)?.errorResponse
  return inner instanceof Error ? inner : error
}

/** About the size the driver measures for an update statement. */
function operationSize(w: MongoWrite): number {
  return BSON.calculateObjectSize({ q: w.filter, u: w.update, upsert: true, multi: false })
}

function isNetworkError(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? ''
  return /Network|ServerSelection|Topology|PoolCleared/.test(name)
}

export function mongoError(error: unknown, url: string, during: string): SyncTargetError {
  if (error instanceof SyncTargetError) return error
  const where = `MongoDB at ${url}`
  const name = (error as { name?: string })?.name ?? ''
  const code = (error as { code?: unknown })?.code
  const message = errorMessage(error)
  if (name === 'MongoParseError' || name === 'MongoInvalidArgumentError')
    return new SyncTargetError(
      `${where}: the URL is not valid (${message})`,
      'Fix the MongoDB URL in the Sync settings.',
    )
  if (code === 18 || /auth/i.test(name) || /Authentication failed/i.test(message))
    return new SyncTargetError(
      `${where} rejected the credentials`,
      'Check the user and password in the MongoDB URL (and authSource=… if the user is defined in another database).',
    )
  if (code === 13)
    return new SyncTargetError(
      `${where}: this user is not allowed to ${during}`,
      'Give the user the readWrite role on the sync database.',
    )
  if (name === 'MongoServerSelectionError' || isNetworkError(error)) {
    const net = networkHint(errorCode(error), url)
    return new SyncTargetError(
      `${where} cannot be reached (${during})`,
      net ?? `Check that mongod is running at ${url} and reachable from this machine (network, VPN, firewall).`,
    )
  }
  return new SyncTargetError(
    `${where}: ${message} (${during})`,
    'Check the MongoDB settings and that the server is reachable.',
  )
}
