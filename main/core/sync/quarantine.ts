import type { OutboxRow } from '../store/types'
import { describeError } from './errors'
import type { QuarantineEntry } from './state'
import type { SendOutcome, SinkMessage, SyncSink } from './types'

/** A quarantined row as the relay reads it back: the row and the parts already acknowledged. */
export interface Quarantined {
  row: OutboxRow & { payloadJson: string }
  sentParts: number[]
}

export interface RetryResult {
  /** Seqs of rows that went through: out of the quarantine. */
  released: number[]
  /** Rows refused for good again, with the new reason (and any parts acknowledged meanwhile). */
  refused: QuarantineEntry[]
  /** A passing failure (connection lost…): those rows stay as they were and are tried again. */
  error: unknown
  duplicates: number
}

/**
 * Sends quarantined rows again (the parts not yet acknowledged), as one batch. Out of outbox
 * order by nature: consumers order by the envelope's seq. Never throws; the caller records.
 */
export async function retryQuarantined(
  sink: SyncSink,
  entries: Quarantined[],
  now: () => number,
): Promise<RetryResult> {
  const messages: SinkMessage[] = []
  const rowOf: number[] = []
  entries.forEach((e, index) => {
    for (const m of sink.plan(e.row)) {
      if (e.sentParts.includes(m.part)) continue
      messages.push(m)
      rowOf.push(index)
    }
  })
  const outcomes: SendOutcome[] = messages.length > 0 ? await sink.send(messages) : []
  const sent = entries.map((e) => [...e.sentParts])
  const failed = new Map<number, { error: unknown; permanent: boolean }>()
  let duplicates = 0
  messages.forEach((m, i) => {
    const o = outcomes[i]
    const index = rowOf[i]!
    if (o?.ok) {
      sent[index]!.push(m.part)
      if (o.duplicate) duplicates++
      return
    }
    const permanent = Boolean(o && !o.ok && o.permanent)
    const prior = failed.get(index)
    // A passing failure wins over a permanent one: the row is not judged until it was really tried.
    if (!prior || (prior.permanent && !permanent))
      failed.set(index, {
        error: o && !o.ok ? o.error : new Error('the target gave no answer for a message'),
        permanent,
      })
  })
  const result: RetryResult = { released: [], refused: [], error: undefined, duplicates }
  const at = now()
  entries.forEach((e, index) => {
    const f = failed.get(index)
    if (!f) result.released.push(e.row.seq)
    else if (!f.permanent) result.error ??= f.error
    else {
      const { message, hint } = describeError(f.error, sink.label)
      result.refused.push({ row: e.row, reason: message, hint, at, sentParts: sent[index]! })
    }
  })
  return result
}
