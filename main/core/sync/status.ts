import type { BenchEvents } from '../events'
import type { OutboxStore } from '../store/outbox'
import { outboxBacklog, type Relay } from './relay'
import { redactUrl } from './settings'
import type { SyncStateStore } from './state'
import type { SyncSettings, SyncStatus, SyncTargetName, SyncTargetStatus } from './types'

export const TARGET_LABELS: Record<SyncTargetName, string> = { nats: 'NATS JetStream', mongo: 'MongoDB' }

/** What the status says of one target: from its relay when it runs, else from the stored state. */
export function targetStatus(
  target: SyncTargetName,
  at: {
    settings: SyncSettings
    relay: Relay | undefined
    paused: boolean
    state: SyncStateStore
    outbox: OutboxStore
  },
): SyncTargetStatus {
  const s = at.settings[target]
  const configured = Boolean(s.url)
  const relay = at.relay
  const base = {
    target,
    label: TARGET_LABELS[target],
    url: redactUrl(s.url),
    configured,
    enabled: s.enabled,
    paused: at.paused,
  }
  if (relay) {
    const backlog = relay.backlog()
    return {
      ...base,
      state: relay.state,
      connected: relay.connected,
      backlog,
      cursor: relay.cursor,
      progress: relay.progress ? { ...relay.progress, total: relay.progress.done + backlog } : null,
      sentSinceStart: relay.sentSinceStart,
      lastSuccessAt: relay.lastSuccessAt,
      lastError: relay.lastError,
      nextRetryAt: relay.nextRetryAt,
      notes: relay.notes(),
      quarantine: at.state.quarantineSummary(target),
    }
  }
  const stored = at.state.peek(target)
  return {
    ...base,
    state: !configured ? 'not-configured' : !s.enabled ? 'disabled' : at.paused ? 'paused' : 'stopped',
    connected: false,
    backlog: configured ? outboxBacklog(at.outbox, stored?.cursor ?? 0) : 0,
    cursor: stored?.cursor ?? 0,
    progress: null,
    sentSinceStart: 0,
    lastSuccessAt: stored?.lastSuccessAt ?? null,
    lastError: stored?.lastError ?? null,
    nextRetryAt: null,
    notes: [],
    quarantine: at.state.quarantineSummary(target),
  }
}

/**
 * Rows in the outbox from its first and last seq: exact while nothing was deleted out of order,
 * and O(1) where a COUNT over a million-row backlog would hold the event loop for tens of ms.
 */
export function outboxSize(outbox: OutboxStore): { rows: number; lastSeq: number } {
  const last = outbox.maxSeq()
  return { rows: last === 0 ? 0 : last - outbox.minSeq() + 1, lastSeq: last }
}

/** Emits 'sync.status' at most once per interval; the last change is never dropped. */
export class StatusThrottle {
  private timer: ReturnType<typeof setTimeout> | undefined
  private dirty = false
  private closed = false

  constructor(
    private readonly events: BenchEvents,
    private readonly status: () => SyncStatus,
    private readonly intervalMs: number,
    private readonly log?: (level: 'warn', message: string) => void,
  ) {}

  emit(): void {
    if (this.closed) return
    if (this.timer) {
      this.dirty = true
      return
    }
    this.publish()
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (this.dirty) {
        this.dirty = false
        this.emit()
      }
    }, this.intervalMs)
    this.timer.unref?.()
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
  }

  private publish(): void {
    try {
      this.events.emit('sync.status', this.status())
    } catch (error) {
      // The database may be closing under us; the next status will tell.
      this.log?.('warn', `sync: status unavailable: ${String(error)}`)
    }
  }
}
