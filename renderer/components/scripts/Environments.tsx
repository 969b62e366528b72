import { useEffect, useRef, useState } from 'react'
import type { EnvVariable, ScriptEnv } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { messageOf, type Loaded } from '../../lib/hooks'
import { ErrorNote, Note, Spinner } from '../ui'

/** What the API shows for a stored secret (main/core/settings.ts SECRET_PLACEHOLDER). */
const SECRET_SHOWN = '••••••••'

interface Draft {
  id: string | null
  name: string
  isDefault: boolean
  variables: EnvVariable[]
}

const toDraft = (e: ScriptEnv): Draft => ({ id: e.id, name: e.name, isDefault: e.isDefault, variables: e.variables })
const blank = (n: number): Draft => ({
  id: null,
  name: n === 0 ? 'Lab' : `Environment ${n + 1}`,
  isDefault: n === 0,
  variables: [{ name: '', value: '', secret: false }],
})

/**
 * Named environments of variables (Postman/Bruno style) that scripts read as `env.NAME`, so a
 * customer's Wi-Fi key stays out of the script text. Secrets are write-only: once saved they show
 * as dots here and as •••• in run output.
 */
export function Environments({ envs }: { envs: Loaded<ScriptEnv[]> }) {
  const list = envs.data ?? []
  const [draft, setDraft] = useState<Draft | null>(null)
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)

  // The stored environment the open draft started from, to tell typed edits from changes made
  // in another window (the list is read again on every "scripts.envs" push).
  const base = useRef<string | null>(null)
  const [elsewhere, setElsewhere] = useState<string | null>(null)
  const current = useRef(draft)
  current.current = draft
  const data = envs.data
  useEffect(() => {
    if (!data) return
    const d = current.current
    // A new one not saved yet stays as typed.
    if (d && d.id === null) return
    const stored = data.find((e) => e.id === d?.id)
    if (d && base.current !== null && JSON.stringify(d) !== base.current) {
      // Typed edits are never overwritten; the technician is told and chooses.
      if (!stored) {
        base.current = null
        // Its stored secrets went with it: dots would be saved as the value, so they are typed again.
        const variables = d.variables.map((v) => (v.secret && v.value === SECRET_SHOWN ? { ...v, value: '' } : v))
        setDraft({ ...d, id: null, variables })
        setElsewhere(
          `“${d.name}” was deleted in another window: Save to keep what you see here as a new one (type its secrets again).`,
        )
      } else if (JSON.stringify(toDraft(stored)) !== base.current)
        setElsewhere(`“${d.name}” was changed in another window: Save replaces it with what you see here.`)
      return
    }
    const open = stored ?? data[0]
    base.current = open ? JSON.stringify(toDraft(open)) : null
    setDraft(open ? toDraft(open) : null)
  }, [data])

  if (envs.loading && !envs.data) return <Spinner label="Loading environments…" />

  const setVar = (i: number, patch: Partial<EnvVariable>) =>
    draft && setDraft({ ...draft, variables: draft.variables.map((v, j) => (j === i ? { ...v, ...patch } : v)) })
  const save = async () => {
    if (!draft) return
    setBusy('save')
    setError(null)
    setNote(null)
    try {
      const saved = await bench.scripts.saveEnv(draft.id, {
        name: draft.name,
        isDefault: draft.isDefault,
        variables: draft.variables.filter((v) => v.name.trim() || v.value),
      })
      base.current = JSON.stringify(toDraft(saved))
      setElsewhere(null)
      setDraft(toDraft(saved))
      envs.reload()
      setNote(`Saved “${saved.name}”. Secret values are stored and shown as dots from now on.`)
    } catch (e) {
      setError(`Not saved: ${messageOf(e)}`)
    } finally {
      setBusy(null)
    }
  }
  const remove = async () => {
    if (!draft?.id || !window.confirm(`Delete the environment “${draft.name}” and its variables?`)) return
    setBusy('remove')
    setError(null)
    try {
      await bench.scripts.removeEnv(draft.id)
      setDraft(null)
      envs.reload()
      setNote(`Deleted “${draft.name}”.`)
    } catch (e) {
      setError(`Not deleted: ${messageOf(e)}`)
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="environments" data-testid="environments">
      <ErrorNote error={envs.error ?? error} onRetry={envs.error ? envs.reload : undefined} />
      <div className="env-layout">
        <div className="env-list" role="list" aria-label="Environments">
          {list.map((e) => (
            <button
              key={e.id}
              role="listitem"
              className={e.id === draft?.id ? 'env-item active' : 'env-item'}
              onClick={() => {
                base.current = JSON.stringify(toDraft(e))
                setElsewhere(null)
                setDraft(toDraft(e))
                setNote(null)
              }}
              data-testid="env-item"
              data-name={e.name}
            >
              {e.name}
              {e.isDefault && <span className="muted small"> · default</span>}
            </button>
          ))}
          {list.length === 0 && <p className="muted small">No environments yet.</p>}
          <button
            className="small"
            onClick={() => {
              base.current = null
              setElsewhere(null)
              setDraft(blank(list.length))
              setNote(null)
            }}
            data-testid="env-new"
          >
            New environment
          </button>
        </div>
        {draft ? (
          <form
            className="env-editor"
            onSubmit={(e) => {
              e.preventDefault()
              void save()
            }}
          >
            <div className="env-row">
              <label>
                Environment name
                <input
                  value={draft.name}
                  onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                  data-testid="env-name"
                />
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.isDefault}
                  onChange={(e) => setDraft({ ...draft, isDefault: e.target.checked })}
                  data-testid="env-default"
                />{' '}
                Default (triggers, device-list actions and runs that name none)
              </label>
            </div>
            <table className="plain env-vars" data-testid="env-vars">
              <thead>
                <tr>
                  <th scope="col">Variable (env.NAME)</th>
                  <th scope="col">Value</th>
                  <th scope="col">Secret</th>
                  <th scope="col">
                    <span className="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.variables.map((v, i) => (
                  <tr key={i} data-testid="env-var">
                    <td>
                      <input
                        className="mono"
                        aria-label={`Variable ${i + 1} name`}
                        placeholder="WIFI_KEY"
                        value={v.name}
                        onChange={(e) => setVar(i, { name: e.target.value })}
                        data-testid="env-var-name"
                      />
                    </td>
                    <td>
                      <input
                        className="mono"
                        type={v.secret ? 'password' : 'text'}
                        aria-label={`Variable ${i + 1} value${v.secret ? ' (secret)' : ''}`}
                        value={v.value}
                        // A stored secret shows as dots: focusing it clears them to type a new one.
                        onFocus={() => v.secret && v.value === SECRET_SHOWN && setVar(i, { value: '' })}
                        onBlur={() => {
                          const stored = draft.id && envs.data?.find((e) => e.id === draft.id)?.variables
                          const was = stored && stored.find((s) => s.name === v.name && s.secret)
                          if (v.secret && v.value === '' && was) setVar(i, { value: SECRET_SHOWN })
                        }}
                        onChange={(e) => setVar(i, { value: e.target.value })}
                        autoComplete="off"
                        data-testid="env-var-value"
                      />
                    </td>
                    <td>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={v.secret}
                          onChange={(e) => setVar(i, { secret: e.target.checked })}
                          data-testid="env-var-secret"
                        />{' '}
                        <span className="sr-only">Variable {i + 1} is </span>secret
                      </label>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="small danger"
                        aria-label={`Remove variable ${i + 1}`}
                        onClick={() => setDraft({ ...draft, variables: draft.variables.filter((_, j) => j !== i) })}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="actions">
              <button
                type="button"
                onClick={() =>
                  setDraft({ ...draft, variables: [...draft.variables, { name: '', value: '', secret: false }] })
                }
                data-testid="env-var-add"
              >
                Add variable
              </button>
              <button type="submit" className="primary" disabled={busy !== null} data-testid="env-save">
                {busy === 'save' ? <Spinner label="Saving…" /> : 'Save environment'}
              </button>
              {draft.id && (
                <button type="button" className="danger" onClick={() => void remove()} disabled={busy !== null}>
                  {busy === 'remove' ? <Spinner label="Deleting…" /> : 'Delete'}
                </button>
              )}
            </div>
            <p className="muted small">
              Scripts read these as <code>env.NAME</code> (nil when undefined; read-only). Pick the environment next to
              Run. Secret values are write-only and print as •••• in run output and stored runs.
            </p>
          </form>
        ) : (
          <p className="muted">
            “New environment” starts one, e.g. a customer’s Wi-Fi key, kept out of the script text.
          </p>
        )}
      </div>
      {elsewhere && (
        <Note kind="warn" testId="env-elsewhere">
          {elsewhere}
        </Note>
      )}
      {note && (
        <Note kind="ok" testId="env-note">
          {note}
        </Note>
      )}
    </div>
  )
}
