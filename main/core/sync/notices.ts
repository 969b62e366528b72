import type { Journal } from '../journal'
import type { QuarantineEntry } from './state'
import { TARGET_LABELS } from './status'
import type { SyncError, SyncTargetName } from './types'

/** Where sync's lines in the event log go, and where a failure to write them is told. */
export interface NoticeDeps {
  journal?: Journal
  log?: (level: 'warn', message: string) => void
}

/** The event log's line for a row set aside (once per row). */
export function noticeQuarantine(d: NoticeDeps, target: SyncTargetName, { row, reason, hint }: QuarantineEntry): void {
  // One of these notices refused in turn (a validator refusing every event) would log another,
  // and so on forever: it is listed in the status only.
  if (row.topic === 'event' && (row.payload as { kind?: unknown } | null)?.kind === 'sync') return
  try {
    d.journal?.record({
      kind: 'sync',
      severity: 'warn',
      serial: row.topic === 'run' ? null : row.key,
      summary: `Sync to ${TARGET_LABELS[target]}: outbox row ${row.seq} (${row.topic}) set aside, the rows after it go on: ${reason}`,
      detail: { target, seq: row.seq, id: row.id, topic: row.topic, key: row.key, hint },
    })
  } catch (e) {
    d.log?.('warn', `sync: could not log to the event log: ${String(e)}`)
  }
}

/** The event log's line when a target starts failing or works again (not one per retry). */
export function noticeTransition(
  d: NoticeDeps,
  target: SyncTargetName,
  kind: 'failing' | 'recovered',
  error: SyncError | null,
): void {
  try {
    if (kind === 'failing' && error) {
      d.journal?.record({
        kind: 'sync',
        severity: 'warn',
        summary: `Sync to ${TARGET_LABELS[target]} is failing: ${error.message}`,
        detail: { target, hint: error.hint },
      })
    } else if (kind === 'recovered') {
      d.journal?.record({
        kind: 'sync',
        severity: 'info',
        summary: `Sync to ${TARGET_LABELS[target]} works again`,
        detail: { target },
      })
    }
  } catch (e) {
    d.log?.('warn', `sync: could not log to the event log: ${String(e)}`)
  }
}
