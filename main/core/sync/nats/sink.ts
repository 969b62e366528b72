import {
  AckPolicy,
  connect,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from 'nats'
import type { OutboxRow } from '../../store/types'
import { SyncTargetError } from '../errors'
import { redactUrl } from '../settings'
import type { NatsTargetSettings, SendOutcome, SinkMessage, SyncSink } from '../types'
import { natsConnectionOptions, natsError } from './connect'
import { planNatsMessages, type NatsMessage } from './messages'
import { OKTOPUS_STREAM, OKTOPUS_SUBJECTS, benchSubject, oktopusInfoSubject, subjectMatches } from './subjects'

export interface NatsSinkOptions {
  settings: NatsTargetSettings
  site: string
  /** Connect timeout, ms. */
  connectTimeoutMs?: number
  /** How long one publish waits for its acknowledgement, ms. */
  publishTimeoutMs?: number
}

/**
 * NATS JetStream target. Publishes each row with Nats-Msg-Id = the row id, so a message whose ack
 * was lost and is sent again is not stored twice; all messages of a batch are in flight at once
 * (one connection keeps them in order) and the relay waits for every ack.
 */
export class NatsSink implements SyncSink<NatsMessage> {
  readonly label = 'NATS JetStream'
  readonly url: string
  private nc: NatsConnection | undefined
  private js: JetStreamClient | undefined
  private online = false
  private maxPayload = 1024 * 1024
  /** Streams checked or created on this connection; cleared when a publish finds no stream. */
  private streamsReady = false
  private closed = false
  private readonly closing = signal()
  private notesList: string[] = []
  /** Fails the publishes in flight when the connection drops, instead of waiting for their timeout. */
  private dropped: { promise: Promise<void>; fire: () => void } = signal()

  constructor(private readonly options: NatsSinkOptions) {
    this.url = redactUrl(options.settings.url)
  }

  get connected(): boolean {
    return Boolean(this.nc && !this.nc.isClosed() && this.online && this.streamsReady)
  }

  notes(): string[] {
    return this.notesList
  }

  /**
   * Connects (unless the client is connected or reconnecting by itself) and checks or creates the
   * streams (again after a publish found none: a server restarted with an empty store).
   */
  async connect(): Promise<void> {
    const s = this.options.settings
    const timeout = this.options.connectTimeoutMs ?? 5000
    if (!this.nc || this.nc.isClosed()) {
      const options = natsConnectionOptions(s, { name: `bench-acs ${this.options.site}`, timeoutMs: timeout })
      let nc: NatsConnection
      try {
        nc = await this.unlessClosed(connect(options), (late) => void late.close().catch(() => {}))
      } catch (error) {
        throw natsError(error, s.url, 'connecting')
      }
      this.nc = nc
      this.js = nc.jetstream({ timeout: this.options.publishTimeoutMs ?? 5000 })
      this.maxPayload = nc.info?.max_payload ?? this.maxPayload
      this.online = true
      this.streamsReady = false
      this.dropped = signal()
      void this.watch(nc)
    }
    if (!this.streamsReady) {
      try {
        const jsm = await this.unlessClosed(this.nc.jetstreamManager({ timeout }))
        this.notesList = []
        await this.ensureBenchStream(jsm)
        if (s.oktopus) await this.ensureOktopusStream(jsm)
        this.streamsReady = true
      } catch (error) {
        throw natsError(error, s.url, 'checking the streams')
      }
    }
  }

  plan(row: OutboxRow): SinkMessage<NatsMessage>[] {
    // The server's limit as of the last (re)connection: raised on the server, it counts at once.
    this.maxPayload = this.nc?.info?.max_payload ?? this.maxPayload
    return planNatsMessages(row, {
      prefix: this.options.settings.subjectPrefix,
      oktopus: this.options.settings.oktopus,
      maxPayload: this.maxPayload,
    })
  }

  async send(messages: SinkMessage<NatsMessage>[]): Promise<SendOutcome[]> {
    const js = this.js
    if (!js || !this.nc || this.nc.isClosed()) {
      const error = new SyncTargetError(`NATS at ${this.url}: not connected`, 'It reconnects by itself.')
      return messages.map(() => ({ ok: false, error }))
    }
    const outcomes: (SendOutcome | undefined)[] = new Array(messages.length)
    const publishes = messages.map((m, i): Promise<void> | undefined => {
      const p = m.payload
      if (p.tooLarge) {
        // No retry can help until the server's limit changes: the relay sets the row aside.
        outcomes[i] = {
          ok: false,
          permanent: true,
          error: new SyncTargetError(
            `NATS at ${this.url}: outbox row ${m.seq} is ${p.data.length} bytes, more than the server's max_payload (${this.maxPayload})`,
            'It was set aside so the rows after it flow. Raise max_payload in the nats-server configuration (e.g. max_payload: 8MB), then press Retry on the Sync page (or run bench-acs sync --once).',
          ),
        }
        return undefined
      }
      return js.publish(p.subject, p.data, { msgID: p.msgId }).then(
        (ack) => {
          outcomes[i] = { ok: true, duplicate: ack.duplicate }
        },
        (error: unknown) => {
          // No responders: no stream captures the subject (any more); check the streams again.
          if ((error as { code?: unknown }).code === '503') this.streamsReady = false
          outcomes[i] = { ok: false, error: natsError(error, this.options.settings.url, 'publishing') }
        },
      )
    })
    // A dropped connection fails what has no ack yet at once, instead of after the publish timeout.
    await Promise.race([Promise.all(publishes), this.dropped.promise])
    const lost = new SyncTargetError(
      `NATS at ${this.url}: connection lost while sending`,
      'The client reconnects by itself; what was not acknowledged is sent again and not stored twice.',
    )
    // Array.from, not map: map skips the holes of a sparse array, and the holes are the failures.
    return Array.from(outcomes, (o) => o ?? { ok: false, error: lost })
  }

  /**
   * A new connection, so what changed on the server meanwhile counts (max_payload is learnt when
   * connecting); before a retry of quarantined rows, which is asked for after such a change.
   */
  async refresh(): Promise<void> {
    const nc = this.nc
    this.nc = undefined
    this.js = undefined
    this.online = false
    this.dropped.fire()
    if (nc && !nc.isClosed()) await nc.close().catch(() => {})
    await this.connect()
  }

  async close(): Promise<void> {
    const nc = this.nc
    this.closed = true
    this.closing.fire()
    this.nc = undefined
    this.js = undefined
    this.online = false
    this.dropped.fire()
    if (nc && !nc.isClosed()) await nc.close().catch(() => {})
  }

  /** Stops waiting when the sink is closed; what arrives late is handed to `late`. */
  private async unlessClosed<T>(pending: Promise<T>, late?: (value: T) => void): Promise<T> {
    if (this.closed) throw new SyncTargetError(`NATS at ${this.url}: sync stopped`, 'It starts again with the app.')
    const stopped = this.closing.promise.then(() => {
      pending.then(
        (value) => late?.(value),
        () => {},
      )
      throw new SyncTargetError(`NATS at ${this.url}: sync stopped`, 'It starts again with the app.')
    })
    return Promise.race([pending, stopped])
  }

  private async watch(nc: NatsConnection): Promise<void> {
    void nc.closed().then(() => {
      if (this.nc === nc) this.online = false
      this.dropped.fire()
    })
    try {
      for await (const s of nc.status()) {
        if (this.nc !== nc) return
        if (s.type === 'disconnect') {
          this.online = false
          this.dropped.fire()
        } else if (s.type === 'reconnect') {
          this.online = true
          this.dropped = signal()
        }
      }
    } catch {
      // The status stream ends with the connection; closed() above has already said so.
    }
  }

  /** Our stream: checks it captures our subjects, or creates it (file storage, limits retention). */
  private async ensureBenchStream(jsm: JetStreamManager): Promise<string> {
    const s = this.options.settings
    const probe = benchSubject(s.subjectPrefix, this.options.site, 'device', 'probe')
    const existing = await streamInfo(jsm, s.stream)
    if (existing) {
      if (!existing.config.subjects?.some((subject) => subjectMatches(subject, probe)))
        throw new SyncTargetError(
          `NATS stream ${s.stream} exists but does not capture ${s.subjectPrefix}.> (its subjects: ${existing.config.subjects?.join(', ') || 'none'})`,
          `Add ${s.subjectPrefix}.> to that stream's subjects, or choose another stream name or subject prefix in the Sync settings.`,
        )
      return s.stream
    }
    const other = await jsm.streams.find(probe).catch(() => undefined)
    if (other) {
      this.notesList.push(`Publishing into the existing stream ${other}, which captures ${s.subjectPrefix}.>`)
      return other
    }
    await jsm.streams.add({
      name: s.stream,
      description: 'Bench ACS records: devices, events, parameter snapshots, script runs',
      subjects: [`${s.subjectPrefix}.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
    })
    this.notesList.push(`Created stream ${s.stream} (subjects ${s.subjectPrefix}.>)`)
    return s.stream
  }

  /**
   * Oktopus' stream "cwmp": when missing, created as Oktopus creates it (interest retention) with
   * its durable consumer "cwmp", so the Informs wait there for Oktopus' adapter instead of being
   * dropped for lack of interest.
   */
  private async ensureOktopusStream(jsm: JetStreamManager): Promise<void> {
    const existing = await streamInfo(jsm, OKTOPUS_STREAM)
    const probe = oktopusInfoSubject('probe')
    if (existing) {
      if (!existing.config.subjects?.some((subject) => subjectMatches(subject, probe)))
        throw new SyncTargetError(
          `NATS stream ${OKTOPUS_STREAM} exists but does not capture cwmp.v1.<serial>.info`,
          'Fix the cwmp stream on the server (Oktopus creates it with subjects cwmp.>), or turn off "Publish for Oktopus".',
        )
      if (existing.config.retention === RetentionPolicy.Interest && existing.state.consumer_count === 0) {
        await this.addOktopusConsumer(jsm)
      }
      return
    }
    await jsm.streams.add({
      name: OKTOPUS_STREAM,
      description: 'Stream for cwmp messages',
      subjects: OKTOPUS_SUBJECTS,
      retention: RetentionPolicy.Interest,
      storage: StorageType.File,
    })
    await this.addOktopusConsumer(jsm)
    this.notesList.push(`Created stream ${OKTOPUS_STREAM} and its consumer for Oktopus' adapter`)
  }

  private async addOktopusConsumer(jsm: JetStreamManager): Promise<void> {
    await jsm.consumers.add(OKTOPUS_STREAM, {
      name: OKTOPUS_STREAM,
      durable_name: OKTOPUS_STREAM,
      description: 'Consumer for cwmp messages',
      ack_policy: AckPolicy.Explicit,
    })
  }
}

async function streamInfo(jsm: JetStreamManager, name: string) {
  try {
    return await jsm.streams.info(name)
  } catch (error) {
    const api = (error as { api_error?: { err_code?: number; code?: number } }).api_error
    if (api?.err_code === 10059 || api?.code === 404 || /stream not found/i.test(String(error))) return undefined
    throw error
  }
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void
  const promise = new Promise<void>((resolve) => (fire = resolve))
  return { promise, fire }
}
