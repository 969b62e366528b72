import type { SyncStatus, SyncTargetStatus } from '../../preload/api'
import { bench } from '../lib/bench'

type Act = (call: () => Promise<SyncStatus>) => Promise<void>

const PILL: Record<SyncTargetStatus['state'], string> = {
  'not-configured': '',
  disabled: '',
  paused: 'warn',
  connecting: 'info',
  sending: 'info',
  idle: 'ok',
  retrying: 'error',
  stopped: '',
}

const LABEL: Record<SyncTargetStatus['state'], string> = {
  'not-configured': 'not configured',
  disabled: 'switched off',
  paused: 'paused',
  connecting: 'connecting',
  sending: 'sending',
  idle: 'up to date',
  retrying: 'failing',
  stopped: 'stopped',
}

/** The words on each target's box in the settings form. */
const BOX: Record<SyncTargetStatus['target'], string> = { nats: 'Send to NATS', mongo: 'Send to MongoDB' }

const rows = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'row' : 'rows'}`

/**
 * The state to show: a target the technician paused is paused, even while the relay still
 * reports the end of an attempt that was under way when Pause was pressed (it sends nothing more).
 */
function shown(t: SyncTargetStatus): SyncTargetStatus['state'] {
  return t.paused && t.configured && t.enabled && t.state !== 'stopped' ? 'paused' : t.state
}

/** The target's state as a pill ("failing", "paused", …): the same words on its card and in the form. */
export function SyncStatePill({ t }: { t: SyncTargetStatus }) {
  return (
    <span className={`pill ${PILL[shown(t)]}`} data-testid="sync-state" data-state={shown(t)}>
      {LABEL[shown(t)]}
    </span>
  )
}

/** What the target is doing as saved (not as typed in the form), and what to do next. */
function advice(t: SyncTargetStatus): string {
  switch (shown(t)) {
    case 'not-configured':
      return `Nothing is sent: no ${t.target === 'nats' ? 'server ' : ''}URL is set. Type one below and Save to start sending.`
    case 'disabled':
      return `Configured but switched off: ${rows(t.backlog)} waiting. Tick “${BOX[t.target]}” and Save to send them.`
    case 'paused':
      return `Configured but paused: ${rows(t.backlog)} waiting. Resume to send ${t.backlog === 1 ? 'it' : 'them'}.`
    case 'connecting':
      return `Connecting to ${t.url}…`
    case 'sending':
      return t.progress
        ? `Sending to ${t.url}: ${t.progress.done.toLocaleString()} of ${t.progress.total.toLocaleString()} rows.`
        : `Sending to ${t.url}: ${rows(t.backlog)} to go.`
    case 'idle':
      return `Sending to ${t.url}: everything is sent; new results go out as they come.`
    case 'retrying': {
      const message = t.lastError?.message ?? 'the last attempt failed'
      const next = t.nextRetryAt ? `; next try at ${new Date(t.nextRetryAt).toLocaleTimeString()}` : ''
      return `Failing: ${message}${/[.!?]$/.test(message) ? '' : '.'} ${t.lastError?.hint ?? ''} ${rows(t.backlog)} waiting${next}.`
    }
    case 'stopped':
      return 'Stopped: the sync service has closed. Restart the app to send again.'
  }
}

/** One line under a target's "Send to …" box: the real state, what to do next and the button for it. */
export function SyncTargetState({ t, act }: { t: SyncTargetStatus | undefined; act: Act }) {
  if (!t) return null
  return (
    <div className="sync-target-state" data-testid={`sync-settings-state-${t.target}`} data-state={shown(t)}>
      <SyncStatePill t={t} />
      <span className="small" data-testid="sync-advice">
        {advice(t)}
      </span>
      {shown(t) === 'paused' && (
        <button type="button" className="small" onClick={() => void act(() => bench.sync.resume(t.target))}>
          Resume
        </button>
      )}
      {shown(t) === 'retrying' && (
        <button type="button" className="small" onClick={() => void act(() => bench.sync.syncNow(t.target))}>
          Try now
        </button>
      )}
    </div>
  )
}
