import { useEffect, useState } from 'react'
import type { SettingsView } from '../../preload/api'
import { FileField } from '../components/FileField'
import { RetentionFields, retentionProblem } from '../components/RetentionFields'
import { ErrorNote, Note, PageHeader, Spinner } from '../components/ui'
import { bench } from '../lib/bench'
import { useApp } from '../lib/context'
import { messageOf, useLoad } from '../lib/hooks'

export function SettingsPage() {
  const loaded = useLoad(() => bench.settings.get(), [])
  const { acs, info } = useApp()
  const [form, setForm] = useState<SettingsView | null>(null)
  /** What is in effect now: the last load or save (Revert goes back to it). */
  const [saved, setSaved] = useState<SettingsView | null>(null)
  const [saving, setSaving] = useState(false)
  const [notes, setNotes] = useState<string[]>([])
  const [warnings, setWarnings] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (loaded.data) {
      setForm(loaded.data)
      setSaved(loaded.data)
    }
  }, [loaded.data])

  if (!form)
    return loaded.error ? (
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
    ) : (
      <Spinner label="Loading settings…" />
    )

  const set = <K extends keyof SettingsView>(section: K, patch: Partial<SettingsView[K]>) =>
    setForm({ ...form, [section]: { ...form[section], ...patch } })
  const portOk = Number.isInteger(form.acs.port) && form.acs.port >= 0 && form.acs.port <= 65535
  const tlsOk = Boolean(form.acs.tlsCertFile) === Boolean(form.acs.tlsKeyFile)
  const dirty = JSON.stringify(form) !== JSON.stringify(saved)
  const save = async () => {
    setSaving(true)
    setError(null)
    setNotes([])
    setWarnings([])
    try {
      const result = await bench.settings.save(form)
      setForm(result.settings)
      setSaved(result.settings)
      setNotes(result.notes)
      setWarnings(result.warnings)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <div className="page scroll">
      <PageHeader title="Settings" />
      <section className="card" data-testid="acs-urls">
        <h2>Give CPEs this ACS URL</h2>
        {acs?.listening ? (
          <>
            <p className="muted">Set it as the TR-069 ACS URL (ManagementServer.URL) of each CPE on the bench:</p>
            <ul className="urls">
              {acs.urls.map((u) => (
                <li key={u} className="mono" data-testid="acs-url">
                  {u}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <Note kind="warn">{acs?.error ?? 'The ACS listener is not running.'}</Note>
        )}
      </section>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
        data-testid="settings-form"
      >
        <h2>ACS listener</h2>
        <div className="row">
          <label>
            Port
            <input
              type="number"
              min={0}
              max={65535}
              value={form.acs.port}
              onChange={(e) => set('acs', { port: Number(e.target.value) })}
              aria-invalid={!portOk}
              data-testid="settings-port"
            />
          </label>
          <label>
            Bind address
            <input
              value={form.acs.bind}
              onChange={(e) => set('acs', { bind: e.target.value })}
              data-testid="settings-bind"
            />
          </label>
        </div>
        <p className="hint">0.0.0.0 listens on every network interface, so CPEs on the bench LAN can reach it.</p>
        {!portOk && <span className="invalid-text">The port is a number from 1 to 65535 (0 picks a free one).</span>}
        <div className="row">
          <FileField
            label="TLS certificate (PEM file)"
            value={form.acs.tlsCertFile}
            onChange={(tlsCertFile) => set('acs', { tlsCertFile })}
            accept=".pem,.crt,.cer"
            placeholder="none: plain HTTP"
            testId="settings-tls-cert"
          />
          <FileField
            label="TLS key (PEM file)"
            value={form.acs.tlsKeyFile}
            onChange={(tlsKeyFile) => set('acs', { tlsKeyFile })}
            accept=".pem,.key"
            testId="settings-tls-key"
          />
        </div>
        {!tlsOk && <span className="invalid-text">HTTPS needs both a certificate and a key.</span>}
        <h2>CPE authentication</h2>
        <div className="row">
          <label>
            Mode
            <select
              value={form.acs.authMode}
              onChange={(e) => set('acs', { authMode: e.target.value as SettingsView['acs']['authMode'] })}
            >
              <option value="none">None</option>
              <option value="basic">Basic</option>
              <option value="digest">Digest</option>
            </select>
          </label>
          <label>
            Username
            <input
              value={form.acs.authUsername}
              onChange={(e) => set('acs', { authUsername: e.target.value })}
              disabled={form.acs.authMode === 'none'}
            />
          </label>
          <label>
            Password
            <input
              type="password"
              onFocus={(e) => e.target.select()}
              value={form.acs.authPassword}
              onChange={(e) => set('acs', { authPassword: e.target.value })}
              disabled={form.acs.authMode === 'none'}
            />
          </label>
        </div>
        <h2>Connection requests</h2>
        <p className="hint">Used to wake a CPE when it did not report its own connection request credentials.</p>
        <div className="row">
          <label>
            Username
            <input
              value={form.connectionRequest.username}
              onChange={(e) => set('connectionRequest', { username: e.target.value })}
            />
          </label>
          <label>
            Password
            <input
              type="password"
              onFocus={(e) => e.target.select()}
              value={form.connectionRequest.password}
              onChange={(e) => set('connectionRequest', { password: e.target.value })}
            />
          </label>
        </div>
        <h2>Secrets in the event log</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={form.acs.keepSecretsInLog}
            onChange={(e) => set('acs', { keepSecretsInLog: e.target.checked })}
            aria-describedby="settings-keep-secrets-hint"
            data-testid="settings-keep-secrets"
          />{' '}
          Keep passwords, Wi-Fi keys and environment secrets in the stored SOAP messages (this laptop's event log only)
        </label>
        <p className="hint" id="settings-keep-secrets-hint">
          Off (recommended): they are stored as ••••. On: SOAP messages stored from now on keep them as they were sent,
          so anyone who can read the data folder, a copy of it or an event export can read them. Records synced to NATS
          or MongoDB stay masked either way; messages already stored stay as they are.
        </p>
        {form.acs.keepSecretsInLog && (
          <Note kind="warn" testId="settings-keep-secrets-warning">
            Secrets will be readable in the event log. Untick this once you have checked what the CPE got.
          </Note>
        )}
        <h2>Script limits</h2>
        <div className="row">
          <label>
            Time limit per run (s, 0 = none)
            <input
              type="number"
              min={0}
              value={form.scripts.wallMs / 1000}
              onChange={(e) => set('scripts', { wallMs: Math.round(Number(e.target.value) * 1000) })}
            />
          </label>
          <label>
            Memory per run (MB)
            <input
              type="number"
              min={16}
              value={form.scripts.memoryMb}
              onChange={(e) => set('scripts', { memoryMb: Number(e.target.value) })}
            />
          </label>
        </div>
        <h2>File library</h2>
        <div className="row">
          <label>
            Largest file (MB; a larger one is refused when added or uploaded)
            <input
              type="number"
              min={1}
              max={65536}
              value={Math.round(form.files.maxBytes / 1048576)}
              onChange={(e) => set('files', { maxBytes: Math.round(Number(e.target.value) * 1048576) })}
              data-testid="settings-files-max"
            />
          </label>
        </div>
        <RetentionFields value={form.retention} onChange={(patch) => set('retention', patch)} />
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={saving || !portOk || !tlsOk || retentionProblem(form.retention) !== null}
            data-testid="settings-save"
          >
            {saving ? <Spinner label="Saving…" /> : 'Save'}
          </button>
          <button
            type="button"
            onClick={() => saved && setForm(saved)}
            disabled={saving || !dirty}
            data-testid="settings-revert"
          >
            Revert
          </button>
          {dirty && (
            <span className="muted small" data-testid="settings-dirty">
              Unsaved changes
            </span>
          )}
        </div>
        <ErrorNote error={error} />
        {warnings.map((w) => (
          <Note key={w} kind="warn" testId="settings-warning">
            {w}
          </Note>
        ))}
        {notes.map((n) => (
          <Note key={n} kind="ok" testId="settings-note">
            {n}
          </Note>
        ))}
      </form>
      {info && (
        <p className="muted small">
          Data folder: <span className="mono">{info.dataDir}</span>
        </p>
      )}
    </div>
  )
}
