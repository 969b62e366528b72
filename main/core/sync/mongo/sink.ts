import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb'
import type { OutboxRow } from '../../store/types'
import { SyncTargetError, errorCode, networkHint } from '../errors'
import { redactUrl } from '../settings'
import type { MongoTargetSettings, SendOutcome, SinkMessage, SyncSink } from '../types'
import { MONGO_INDEXES, mongoDatabase, mongoWrites, type MongoCollectionName, type MongoWrite } from './mapping'
import { errorMessage } from '../../errors'

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
      [...byCollection].map(async ([collection, indexes]) => {
        const ops = indexes.map((i) => toOperation(messages[i]!.payload))
        for (const i of indexes) outcomes[i] = { ok: true }
        try {
          await conn.db.collection(collection).bulkWrite(ops, { ordered: false })
        } catch (error) {
          const writeErrors = bulkWriteErrors(error)
          if (!writeErrors) {
            // The whole bulk failed (network, auth): nothing is known to be stored; all retried.
            if (isNetworkError(error)) this.healthy = false
            const described = mongoError(error, this.url, `writing ${collection}`)
            for (const i of indexes) outcomes[i] = { ok: false, error: described }
            return
          }
          for (const we of writeErrors) {
            const i = indexes[we.index]
            if (i === undefined) continue
            if (we.code === 11000 && messages[i]!.payload.duplicateMeansDone)
              outcomes[i] = { ok: true, duplicate: true }
            else
              outcomes[i] = {
                ok: false,
                error: new SyncTargetError(
                  `MongoDB at ${this.url} refused a write to ${collection}: ${we.errmsg ?? `code ${we.code}`}`,
                  "Check the user's roles (it needs readWrite on the database) and the collection's validation rules.",
                ),
              }
          }
        }
      }),
    )
    return outcomes
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

function bulkWriteErrors(error: unknown): { index: number; code: number; errmsg?: string }[] | undefined {
  const e = error as { writeErrors?: unknown; name?: string }
  if (!e || e.writeErrors === undefined) return undefined
  const list = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]
  return list.map(
    (we: { index: number; code: number; errmsg?: string; err?: { index: number; code: number; errmsg?: string } }) =>
      we.err ? { index: we.err.index, code: we.err.code, errmsg: we.err.errmsg } : we,
  )
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
