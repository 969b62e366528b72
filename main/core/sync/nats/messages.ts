import type { OutboxRow } from '../../store/types'
import type { SinkMessage } from '../types'
import { benchSubject, oktopusInfoSubject, oktopusStatusSubject } from './subjects'

export interface NatsMessage {
  subject: string
  data: Uint8Array
  /** Nats-Msg-Id: the row id (part 0) or `<row id>.<part>`. */
  msgId: string
  /** Larger than the server accepts; the relay reports it instead of sending. */
  tooLarge?: boolean
}

export interface PlanOptions {
  prefix: string
  oktopus: boolean
  maxPayload: number
}

/** Room for the Nats-Msg-Id header in a message's max_payload. */
const HEADER_ROOM = 128
/** Room for the envelope around a chunk of parameters. */
const HEADROOM = 4096

const encoder = new TextEncoder()

/**
 * The messages for one outbox row:
 * - inform     → cwmp.v1.<serial>.info, body = the raw Inform XML (only with the Oktopus option;
 *                our own subjects already carry the device, its events and its parameters)
 * - device     → <prefix>.<site>.device.<serial>, plus cwmp.v1.<serial>.status "0" when the device
 *                is offline (Oktopus option)
 * - parameters → <prefix>.<site>.parameters.<serial>, split into parts when larger than the server's
 *                max_payload
 * - event, run, anything else → <prefix>.<site>.<topic>.<key>
 * Our own bodies are one JSON envelope: { id, seq, site, topic, key, createdAt, payload[, part] }.
 */
export function planNatsMessages(row: OutboxRow, o: PlanOptions): SinkMessage<NatsMessage>[] {
  if (row.topic === 'inform') {
    if (!o.oktopus) return []
    const inform = informOf(row)
    if (!inform) return []
    return [message(row, 0, oktopusInfoSubject(inform.serial), encoder.encode(inform.xml), o)]
  }
  const subject = benchSubject(o.prefix, row.site, row.topic, row.key)
  const body = encoder.encode(envelopeJson(row))
  const out: SinkMessage<NatsMessage>[] = []
  if (row.topic === 'parameters' && body.length + HEADROOM > o.maxPayload) {
    out.push(...splitParameters(row, subject, o))
  } else {
    out.push(message(row, 0, subject, body, o))
  }
  if (row.topic === 'device' && o.oktopus) {
    const device = row.payload as { serial?: unknown; status?: unknown }
    if (device.status === 0 && typeof device.serial === 'string') {
      out.push(message(row, out.length, oktopusStatusSubject(device.serial), encoder.encode('0'), o))
    }
  }
  return out
}

/**
 * The serial and XML of an "inform" row. The ACS (main/core/acs/inform.ts) appends the raw XML
 * as the payload and the serial as the key; { serial, xml } is read too.
 */
export function informOf(row: OutboxRow): { serial: string; xml: string } | undefined {
  const p = row.payload as { serial?: unknown; xml?: unknown } | string | null
  if (typeof p === 'string') return row.key && p ? { serial: row.key, xml: p } : undefined
  const serial = typeof p?.serial === 'string' ? p.serial : row.key
  if (!serial || typeof p?.xml !== 'string' || !p.xml) return undefined
  return { serial, xml: p.xml }
}

/** JSON.stringify(envelope(row, row.payload)), reusing the stored JSON text when the row has it. */
function envelopeJson(row: OutboxRow & { payloadJson?: string }): string {
  if (row.payloadJson === undefined) return JSON.stringify(envelope(row, row.payload))
  const head = JSON.stringify({
    id: row.id,
    seq: row.seq,
    site: row.site,
    topic: row.topic,
    key: row.key,
    createdAt: row.createdAt,
  })
  return `${head.slice(0, -1)},"payload":${row.payloadJson}}`
}

function envelope(row: OutboxRow, payload: unknown, part?: { index: number; count: number }) {
  return {
    id: row.id,
    seq: row.seq,
    site: row.site,
    topic: row.topic,
    key: row.key,
    createdAt: row.createdAt,
    payload,
    ...(part ? { part } : {}),
  }
}

function message(
  row: OutboxRow,
  part: number,
  subject: string,
  data: Uint8Array,
  o: PlanOptions,
): SinkMessage<NatsMessage> {
  return {
    seq: row.seq,
    part,
    payload: {
      subject,
      data,
      msgId: part === 0 ? row.id : `${row.id}.${part}`,
      ...(data.length + HEADER_ROOM > o.maxPayload ? { tooLarge: true } : {}),
    },
  }
}

/** A large parameter snapshot as several messages, each with a slice of the list. */
function splitParameters(row: OutboxRow, subject: string, o: PlanOptions): SinkMessage<NatsMessage>[] {
  const payload = row.payload as { parameters?: unknown[] } & Record<string, unknown>
  const list = Array.isArray(payload.parameters) ? payload.parameters : []
  const budget = o.maxPayload - HEADROOM * 2
  const chunks: unknown[][] = []
  let current: unknown[] = []
  let size = 0
  for (const p of list) {
    const n = encoder.encode(JSON.stringify(p)).length + 1
    if (current.length > 0 && size + n > budget) {
      chunks.push(current)
      current = []
      size = 0
    }
    current.push(p)
    size += n
  }
  chunks.push(current)
  return chunks.map((chunk, index) => {
    const body = envelope(row, { ...payload, parameters: chunk }, { index, count: chunks.length })
    return message(row, index, subject, encoder.encode(JSON.stringify(body)), o)
  })
}
