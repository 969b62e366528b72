import { useRef, useState } from 'react'
import type { ProfileRecord, ProfileRun } from '../../preload/api'
import { ProfileDryRun } from '../components/ProfileDryRun'
import { Empty, ErrorNote, Note, PageHeader, Spinner } from '../components/ui'
import { bench } from '../lib/bench'
import { saveFile } from '../lib/format'
import { messageOf, useLoad, useStream } from '../lib/hooks'

const TEMPLATE = {
  name: 'new profile',
  description: '',
  enabled: true,
  match: { productClass: '*' },
  when: { events: ['0 BOOTSTRAP'] },
  steps: [{ set: { 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval': 600 } }],
}

/** A stored profile as the JSON a user writes (docs/profiles.md): without its identity and version. */
function definitionOf(p: ProfileRecord) {
  const { name, description, enabled, match, when, steps } = p
  return { name, description, enabled, match, when, steps }
}

export function ProfilesPage() {
  const profiles = useLoad(() => bench.profiles.list(), [], { live: true })
  const runs = useLoad(() => bench.profiles.runs({ limit: 500 }), [], { live: true })
  const next = useLoad(() => bench.profiles.nextScheduled(), [profiles.data], { live: true })
  const [format, setFormat] = useState<'json' | 'yaml'>('json')
  const ext = format === 'yaml' ? 'yaml' : 'json'
  const mime = format === 'yaml' ? 'application/yaml' : 'application/json'
  // Runs come and go with CPEs informing: the outcomes column follows them.
  useStream('profiles.runs', (batch) => {
    if (batch.some((r) => r.status !== 'running')) runs.reload()
  })
  const [editing, setEditing] = useState<{ text: string; original: string | null } | null>(null)
  const [dryRunOf, setDryRunOf] = useState<string | null>(null)
  const dryRunProfile = profiles.data?.find((p) => p.name === dryRunOf)
  const [note, setNote] = useState<{ ok: boolean; message: string } | null>(null)
  const importInput = useRef<HTMLInputElement>(null)

  const act = async (what: () => Promise<string>) => {
    setNote(null)
    try {
      setNote({ ok: true, message: await what() })
      profiles.reload()
    } catch (e) {
      setNote({ ok: false, message: messageOf(e) })
    }
  }
  const importFile = async (file: File | undefined) => {
    if (!file) return
    await act(async () => {
      // JSON or YAML, told by the file's extension.
      const saved = await bench.profiles.import(await file.text(), file.name)
      return `Imported ${saved.map((p) => `"${p.name}"`).join(', ')} from ${file.name}.`
    })
    if (importInput.current) importInput.current.value = ''
  }

  return (
    <div className="page scroll">
      <PageHeader title="Profiles">
        <button
          className="primary"
          onClick={() => setEditing({ text: JSON.stringify(TEMPLATE, null, 2), original: null })}
          data-testid="profile-new"
        >
          New profile
        </button>
        <button onClick={() => importInput.current?.click()} data-testid="profile-import">
          Import…
        </button>
        <button
          disabled={!profiles.data?.length}
          onClick={() =>
            void act(async () => {
              saveFile(`bench-acs-profiles.${ext}`, mime, await bench.profiles.export(undefined, format))
              return `Exported every profile to bench-acs-profiles.${ext}.`
            })
          }
          data-testid="profile-export-all"
        >
          Export all
        </button>
        <label>
          Export as{' '}
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value === 'yaml' ? 'yaml' : 'json')}
            data-testid="profile-export-format"
          >
            <option value="json">JSON</option>
            <option value="yaml">YAML</option>
          </select>
        </label>
        <input
          ref={importInput}
          type="file"
          accept=".json,.yaml,.yml,application/json,application/yaml"
          hidden
          aria-label="Profile file to import"
          onChange={(e) => void importFile(e.target.files?.[0])}
          data-testid="profile-import-input"
        />
      </PageHeader>
      <p className="muted intro">
        A profile says which devices, when (CWMP events such as 0 BOOTSTRAP, or a cron schedule), and the steps to bring
        them to: each step checks first whether the device already holds it. The format (JSON or YAML) is in
        docs/profiles.md; the same file travels with <code className="mono">bench-acs profiles import/export</code>.
      </p>
      {note && (
        <Note kind={note.ok ? 'ok' : 'warn'} testId="profile-note" state={note.ok ? 'done' : 'failed'}>
          {note.message}
        </Note>
      )}
      <ErrorNote error={profiles.error} onRetry={profiles.reload} />
      {editing && (
        <ProfileEditor
          key={editing.original ?? ''}
          initial={editing.text}
          original={editing.original}
          onClose={() => setEditing(null)}
          onSaved={(p) => {
            setEditing(null)
            setNote({ ok: true, message: `Saved "${p.name}" (version ${p.version}).` })
            profiles.reload()
          }}
        />
      )}
      {dryRunProfile && (
        <ProfileDryRun key={dryRunProfile.name} profile={dryRunProfile} onClose={() => setDryRunOf(null)} />
      )}
      {profiles.loading && !profiles.data ? (
        <Spinner label="Loading profiles…" />
      ) : profiles.data?.length === 0 ? (
        <Empty title="No profiles yet." testId="profiles-empty">
          Create one with &quot;New profile&quot;, or import the JSON or YAML file your team shares.
        </Empty>
      ) : (
        profiles.data && (
          <table className="plain" data-testid="profiles">
            <thead>
              <tr>
                <th>Name</th>
                <th>Enabled</th>
                <th>Which devices</th>
                <th>When</th>
                <th>Steps</th>
                <th>Last outcomes</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {profiles.data.map((p) => (
                <tr key={p.id} data-testid="profile-row" data-name={p.name}>
                  <td>
                    <strong>{p.name}</strong> <span className="muted small">v{p.version}</span>
                    {p.description && <div className="muted small">{p.description}</div>}
                  </td>
                  <td>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={p.enabled}
                        aria-label={`${p.name} enabled`}
                        onChange={(e) => {
                          const on = e.target.checked
                          void act(async () => {
                            await bench.profiles.setEnabled(p.name, on)
                            return `"${p.name}" is ${on ? 'enabled: it runs on its events and schedule' : 'disabled: it runs only by hand'}.`
                          })
                        }}
                        data-testid="profile-enabled"
                      />{' '}
                      {p.enabled ? 'yes' : 'no'}
                    </label>
                  </td>
                  <td className="mono small">{matchSummary(p)}</td>
                  <td className="small" data-testid="profile-when">
                    {whenSummary(p, next.data?.[p.id])}
                  </td>
                  <td>{p.steps.length}</td>
                  <td data-testid="profile-outcomes">{outcomes(p, runs.data)}</td>
                  <td className="row-actions">
                    <button
                      className="link"
                      onClick={() => setEditing({ text: JSON.stringify(definitionOf(p), null, 2), original: p.name })}
                      data-testid="profile-edit"
                    >
                      Edit
                    </button>
                    <button className="link" onClick={() => setDryRunOf(p.name)} data-testid="profile-dry-run">
                      Dry run…
                    </button>
                    <button
                      className="link"
                      onClick={() =>
                        void act(async () => {
                          const file = `${p.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.${ext}`
                          saveFile(file, mime, await bench.profiles.export(p.name, format))
                          return `Exported "${p.name}" to ${file}.`
                        })
                      }
                    >
                      Export
                    </button>
                    <button
                      className="link danger"
                      onClick={() => {
                        if (!window.confirm(`Remove the profile "${p.name}"? Its past runs stay in the log.`)) return
                        void act(async () => {
                          await bench.profiles.remove(p.name)
                          return `Removed "${p.name}".`
                        })
                      }}
                      data-testid="profile-remove"
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
    </div>
  )
}

function ProfileEditor(props: {
  initial: string
  original: string | null
  onClose: () => void
  onSaved: (p: ProfileRecord) => void
}) {
  const [text, setText] = useState(props.initial)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async () => {
    setError(null)
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (e) {
      setError(`This is not JSON yet: ${messageOf(e)}. Fix it and save again.`)
      return
    }
    setBusy(true)
    try {
      props.onSaved(await bench.profiles.save(parsed))
    } catch (e) {
      // The core names what is wrong ("steps[2]: unknown field …"); nothing was saved.
      setError(`Not saved: ${messageOf(e)}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="card form" data-testid="profile-editor">
      <label>
        {props.original ? `Profile "${props.original}" as JSON` : 'New profile as JSON'}
        <textarea
          className="profile-json"
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          data-testid="profile-json"
        />
      </label>
      {props.original && (
        <span className="hint">Saving with another name creates a new profile; the old one stays.</span>
      )}
      {error && (
        <div className="note error" role="alert" data-testid="profile-error">
          {error}
        </div>
      )}
      <div className="actions">
        <button className="primary" onClick={() => void save()} disabled={busy} data-testid="profile-save">
          {busy ? <Spinner label="Saving…" /> : 'Save'}
        </button>
        <button onClick={props.onClose}>Cancel</button>
      </div>
    </div>
  )
}

/** Events, schedule and its next time; "by hand only" without either. */
function whenSummary(p: ProfileRecord, nextAt: number | undefined): string {
  const parts: string[] = []
  if (p.when.events.length) parts.push(p.when.events.join(', '))
  if (p.when.schedule) {
    const when = nextAt
      ? `next ${new Date(nextAt).toLocaleString()}`
      : p.enabled
        ? 'no next time'
        : 'not while disabled'
    parts.push(`schedule ${p.when.schedule} (${when})`)
  }
  return parts.length ? parts.join('; ') : 'by hand only'
}

function matchSummary(p: ProfileRecord): string {
  const parts = Object.entries(p.match).map(([k, v]) => `${k}=${String(v)}`)
  return parts.length ? parts.join(' ') : 'every device'
}

/** The latest run of this profile on each device, counted by outcome. */
function outcomes(p: ProfileRecord, runs: ProfileRun[] | undefined): string {
  if (!runs) return '…'
  const latest = new Map<string, ProfileRun>()
  for (const r of runs) if (r.profileName === p.name && !latest.has(r.serial)) latest.set(r.serial, r)
  if (latest.size === 0) return 'not run yet'
  const count = { running: 0, done: 0, failed: 0 }
  for (const r of latest.values()) count[r.status]++
  return (['done', 'failed', 'running'] as const)
    .filter((k) => count[k] > 0)
    .map((k) => `${count[k]} ${k}`)
    .join(' · ')
}
