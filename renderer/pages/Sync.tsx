import { useEffect, useState } from 'react'
import type { SyncSettings, SyncStatus, SyncTargetStatus } from '../../preload/api'
import { FileField } from '../components/FileField'
import { StorageCard } from '../components/StorageCard'
import { SyncStatePill, SyncTargetState } from '../components/SyncTargetState'
import { ErrorNote, Note, PageHeader, Spinner } from '../components/ui'
import { bench } from '../lib/bench'
import { ago } from '../lib/format'
import { messageOf, useLoad, useNow, useStream } from '../lib/hooks'

export function SyncPage() {
  const initial = useLoad(() => bench.sync.status(), [], { live: true })
  const [status, setStatus] = useState<SyncStatus | null>(null)
  useEffect(() => {
    if (initial.data) setStatus(initial.data)
  }, [initial.data])
  useStream('sync.status', (batch) => setStatus(batch[batch.length - 1] ?? null))
  const [error, setError] = useState<string | null>(null)
  const act = async (call: () => Promise<SyncStatus>) => {
    setError(null)
    try {
      setStatus(await call())
    } catch (e) {
      setError(messageOf(e))
    }
  }
  return (
    <div className="page scroll">
      <PageHeader title="Sync">
        {status && (
          <span className="muted small" data-testid="sync-outbox">
            Site <span className="mono">{status.site}</span> · {status.outbox.rows.toLocaleString()} rows in the outbox
          </span>
        )}
      </PageHeader>
      <p className="muted intro">
        Results are kept in a durable outbox and sent to central servers when they can be reached: a laptop that was
        offline for days loses nothing and sends nothing twice.
      </p>
      <ErrorNote error={initial.error ?? error} onRetry={initial.reload} />
      {!status ? (
        <Spinner label="Loading sync status…" />
      ) : (
        <div className="cards">
          <StorageCard status={status} />
          {status.targets.map((t) => (
            <TargetCard key={t.target} t={t} act={act} />
          ))}
        </div>
      )}
      <SyncSettingsForm status={status} act={act} />
    </div>
  )
}

function TargetCard({ t, act }: { t: SyncTargetStatus; act: (call: () => Promise<SyncStatus>) => Promise<void> }) {
  const now = useNow(5000)
  return (
    <section className="card target" data-testid={`sync-target-${t.target}`}>
      <div className="target-head">
        <h2>{t.label}</h2>
        <SyncStatePill t={t} />
      </div>
      {t.configured ? (
        <>
          <div className="mono small muted">{t.url}</div>
          <dl className="facts">
            <dt>Waiting</dt>
            <dd>{t.backlog.toLocaleString()} rows</dd>
            <dt>Sent</dt>
            <dd>{t.sentSinceStart.toLocaleString()} since start</dd>
            <dt>Last OK</dt>
            <dd>{ago(t.lastSuccessAt, now)}</dd>
            {t.nextRetryAt && (
              <>
                <dt>Next try</dt>
                <dd>{new Date(t.nextRetryAt).toLocaleTimeString()}</dd>
              </>
            )}
          </dl>
          {t.progress && (
            <>
              <div className="progress">
                <div
                  className="progress-bar"
                  style={{ width: `${(100 * t.progress.done) / Math.max(1, t.progress.total)}%` }}
                />
              </div>
              <div className="small muted">
                {t.progress.done.toLocaleString()} of {t.progress.total.toLocaleString()} ·{' '}
                {Math.round(t.progress.ratePerSecond)} rows/s
              </div>
            </>
          )}
          {t.lastError && (
            <Note kind="warn" testId="sync-error">
              <span>
                {t.lastError.message}
                <br />
                <span className="small">{t.lastError.hint}</span>
              </span>
            </Note>
          )}
          {t.quarantine.count > 0 && <Quarantine t={t} act={act} />}
          {t.notes.map((n) => (
            <div key={n} className="small muted">
              {n}
            </div>
          ))}
          <div className="actions">
            {t.paused ? (
              <button onClick={() => act(() => bench.sync.resume(t.target))}>Resume</button>
            ) : (
              <button onClick={() => act(() => bench.sync.pause(t.target))} disabled={!t.enabled}>
                Pause
              </button>
            )}
            <button onClick={() => act(() => bench.sync.syncNow(t.target))} disabled={!t.enabled || t.paused}>
              Sync now
            </button>
          </div>
        </>
      ) : (
        <p className="muted">Not configured: set its URL below to start sending.</p>
      )}
    </section>
  )
}

/** Rows this server can never take as they are: set aside so the rest flows, retried on demand. */
function Quarantine({ t, act }: { t: SyncTargetStatus; act: (call: () => Promise<SyncStatus>) => Promise<void> }) {
  const first = t.quarantine.rows[0]!
  return (
    <Note kind="warn" testId="sync-quarantine">
      <span>
        {t.quarantine.count.toLocaleString()} {t.quarantine.count === 1 ? 'row was' : 'rows were'} set aside: the server
        refuses {t.quarantine.count === 1 ? 'it' : 'them'} as {t.quarantine.count === 1 ? 'it is' : 'they are'}; the
        rows after {t.quarantine.count === 1 ? 'it' : 'them'} were sent.
        <table className="plain small">
          <tbody>
            {t.quarantine.rows.map((r) => (
              <tr key={r.seq}>
                <td className="mono">#{r.seq}</td>
                <td>
                  {r.topic} {r.key ?? ''}
                </td>
                <td>{(r.bytes / 1024).toFixed(0)} KiB</td>
                <td>{r.attempts === 1 ? 'tried once' : `tried ${r.attempts}×`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {first.reason}
        <br />
        <span className="small">{first.hint}</span>
        <br />
        <button onClick={() => act(() => bench.sync.retryQuarantined(t.target))} disabled={!t.enabled || t.paused}>
          Retry
        </button>
      </span>
    </Note>
  )
}

type Act = (call: () => Promise<SyncStatus>) => Promise<void>

function SyncSettingsForm({ status, act }: { status: SyncStatus | null; act: Act }) {
  const loaded = useLoad(() => bench.sync.settings(), [])
  const [form, setForm] = useState<SyncSettings | null>(null)
  const [saving, setSaving] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  useEffect(() => {
    if (loaded.data) setForm(loaded.data)
  }, [loaded.data])
  if (!form) return loaded.error ? <ErrorNote error={loaded.error} onRetry={loaded.reload} /> : null
  const nats = form.nats
  const setNats = (patch: Partial<SyncSettings['nats']>) => setForm({ ...form, nats: { ...nats, ...patch } })
  const setMongo = (patch: Partial<SyncSettings['mongo']>) => setForm({ ...form, mongo: { ...form.mongo, ...patch } })
  const save = async () => {
    setSaving(true)
    setResult(null)
    try {
      setForm(await bench.sync.configure(form))
      setResult({ ok: true, text: 'Saved; changed targets reconnect now.' })
    } catch (e) {
      setResult({ ok: false, text: messageOf(e) })
    } finally {
      setSaving(false)
    }
  }
  const auth = nats.auth
  return (
    <form
      className="card form"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
      data-testid="sync-settings"
    >
      <h2>NATS JetStream</h2>
      {/* Ticked only when it would send: a target without a URL sends nothing, whatever "enabled" says. */}
      <label className="check">
        <input
          type="checkbox"
          checked={nats.enabled && nats.url.trim() !== ''}
          disabled={nats.url.trim() === ''}
          onChange={(e) => setNats({ enabled: e.target.checked })}
          data-testid="sync-nats-enabled"
        />{' '}
        Send to NATS
      </label>
      <SyncTargetState t={status?.targets.find((t) => t.target === 'nats')} act={act} />
      <div className="row">
        <label>
          Server URL
          <input
            value={nats.url}
            onChange={(e) => setNats({ url: e.target.value })}
            placeholder="nats://central.example:4222"
            data-testid="sync-nats-url"
          />
        </label>
        <label>
          Authentication
          <select
            value={auth.kind}
            onChange={(e) => {
              const kind = e.target.value as SyncTargetAuthKind
              setNats({
                auth:
                  kind === 'userpass'
                    ? { kind, user: '', password: '' }
                    : kind === 'token'
                      ? { kind, token: '' }
                      : kind === 'creds'
                        ? { kind, file: '' }
                        : { kind: 'none' },
              })
            }}
          >
            <option value="none">None</option>
            <option value="userpass">User and password</option>
            <option value="token">Token</option>
            <option value="creds">Credentials file (.creds)</option>
          </select>
        </label>
      </div>
      {auth.kind === 'userpass' && (
        <div className="row">
          <label>
            User
            <input value={auth.user} onChange={(e) => setNats({ auth: { ...auth, user: e.target.value } })} />
          </label>
          <label>
            Password
            <input
              type="password"
              onFocus={(e) => e.target.select()}
              value={auth.password}
              onChange={(e) => setNats({ auth: { ...auth, password: e.target.value } })}
            />
          </label>
        </div>
      )}
      {auth.kind === 'token' && (
        <label>
          Token
          <input
            type="password"
            onFocus={(e) => e.target.select()}
            value={auth.token}
            onChange={(e) => setNats({ auth: { ...auth, token: e.target.value } })}
          />
        </label>
      )}
      {auth.kind === 'creds' && (
        <FileField
          label="Credentials file"
          value={auth.file}
          onChange={(file) => setNats({ auth: { ...auth, file } })}
          accept=".creds"
          testId="sync-creds-file"
        />
      )}
      <div className="row">
        <label>
          Stream
          <input value={nats.stream} onChange={(e) => setNats({ stream: e.target.value })} />
        </label>
        <label>
          Subject prefix
          <input value={nats.subjectPrefix} onChange={(e) => setNats({ subjectPrefix: e.target.value })} />
        </label>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={nats.tls.enabled}
          onChange={(e) => setNats({ tls: { ...nats.tls, enabled: e.target.checked } })}
        />{' '}
        TLS
      </label>
      <label className="check">
        <input type="checkbox" checked={nats.oktopus} onChange={(e) => setNats({ oktopus: e.target.checked })} /> Also
        publish what an Oktopus controller listens on (cwmp.v1.&lt;serial&gt;.info)
      </label>
      <h2>MongoDB</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={form.mongo.enabled && form.mongo.url.trim() !== ''}
          disabled={form.mongo.url.trim() === ''}
          onChange={(e) => setMongo({ enabled: e.target.checked })}
          data-testid="sync-mongo-enabled"
        />{' '}
        Send to MongoDB
      </label>
      <SyncTargetState t={status?.targets.find((t) => t.target === 'mongo')} act={act} />
      <div className="row">
        <label>
          URL
          <input
            value={form.mongo.url}
            onChange={(e) => setMongo({ url: e.target.value })}
            placeholder="mongodb://central.example:27017"
            data-testid="sync-mongo-url"
          />
        </label>
        <label>
          Database
          <input
            value={form.mongo.database}
            placeholder="from the URL, else adapter"
            onChange={(e) => setMongo({ database: e.target.value })}
          />
        </label>
      </div>
      <h2>Outbox</h2>
      <label>
        Keep sent rows for (days)
        <input
          type="number"
          min={0}
          value={form.retentionDays}
          onChange={(e) => setForm({ ...form, retentionDays: Number(e.target.value) })}
        />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={saving} data-testid="sync-save">
          {saving ? <Spinner label="Saving…" /> : 'Save'}
        </button>
      </div>
      {result && (
        <Note kind={result.ok ? 'ok' : 'warn'} testId="sync-save-result">
          {result.text}
        </Note>
      )}
    </form>
  )
}

type SyncTargetAuthKind = SyncSettings['nats']['auth']['kind']
