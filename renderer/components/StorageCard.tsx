import type { SyncStatus } from '../../preload/api'
import { ago } from '../lib/format'
import { useNow } from '../lib/hooks'
import { href } from '../lib/router'
import { Note } from './ui'

const MB = 1024 * 1024

/** Words for retention's sources (main/core/bench.ts names them). */
const SOURCES: Record<string, string> = {
  events: 'events',
  runs: 'script runs',
  fetches: 'file fetches',
  outbox: 'sent outbox rows',
}

export function megabytes(bytes: number): string {
  return bytes >= 10 * MB ? `${Math.round(bytes / MB).toLocaleString()} MB` : `${(bytes / MB).toFixed(1)} MB`
}

/**
 * The database against its cap (retention, docs/retention.md): size, cap, what the last pass
 * deleted, and, when only rows it must keep are left over the cap, why and what to do.
 */
export function StorageCard({ status }: { status: SyncStatus }) {
  const now = useNow(10_000)
  const s = status.storage
  const unsent = status.targets.reduce((n, t) => Math.max(n, t.configured ? t.backlog : 0), 0)
  const removed = s?.lastPass ? Object.entries(s.lastPass.removed).filter(([, n]) => n > 0) : []
  const share = s && s.capBytes > 0 ? Math.min(100, (100 * s.sizeBytes) / s.capBytes) : 0
  return (
    <section className="card storage" data-testid="sync-storage">
      <div className="target-head">
        <h2>Storage</h2>
        {s && (
          <span className={`pill ${s.blocked ? 'error' : share > 90 ? 'warn' : 'ok'}`} data-testid="storage-state">
            {s.blocked ? 'over the cap' : s.capBytes > 0 ? `${Math.round(share)} % of the cap` : 'no cap'}
          </span>
        )}
      </div>
      {!s ? (
        <p className="muted small" data-testid="storage-pending">
          Measured after retention’s first pass, a few seconds after start.
        </p>
      ) : (
        <>
          <dl className="facts">
            <dt>Database</dt>
            <dd data-testid="storage-size">{megabytes(s.sizeBytes)}</dd>
            <dt>Cap</dt>
            <dd data-testid="storage-cap">
              {s.capBytes > 0 ? megabytes(s.capBytes) : 'none'} ·{' '}
              <a href={href('settings')} data-testid="storage-settings-link">
                change in Settings
              </a>
            </dd>
            <dt>Last pruned</dt>
            <dd data-testid="storage-last-pass">
              {!s.lastPass
                ? 'not yet'
                : `${ago(s.lastPass.at, now)}: ${
                    removed.length
                      ? removed.map(([k, n]) => `${n.toLocaleString()} ${SOURCES[k] ?? k}`).join(', ')
                      : 'nothing was old enough to delete'
                  }`}
            </dd>
          </dl>
          {s.capBytes > 0 && (
            <div className="progress" aria-label={`Database at ${Math.round(share)} % of its cap`}>
              <div className={`progress-bar${s.blocked ? ' error' : ''}`} style={{ width: `${share}%` }} />
            </div>
          )}
          {s.blocked && (
            <Note kind="warn" testId="storage-blocked">
              <span>
                {s.blocked}
                <br />
                <span className="small">
                  {unsent > 0
                    ? `What to do: bring a sync target below back (${unsent.toLocaleString()} rows wait for it) so its rows can be sent and then deleted, or raise the cap in Settings.`
                    : 'What to do: raise the cap in Settings (Retention), or shorten how long events are kept.'}
                </span>
              </span>
            </Note>
          )}
        </>
      )}
    </section>
  )
}
