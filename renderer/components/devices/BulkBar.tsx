import { useState } from 'react'
import type { BulkAction, BulkResult, DeviceSelection } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { messageOf, useLoad } from '../../lib/hooks'
import { ErrorNote, Spinner } from '../ui'

type Kind = BulkAction['kind']
const VERBS: Record<Kind, string> = {
  reboot: 'Reboot',
  script: 'Run a script on',
  profile: 'Run a profile on',
  tag: 'Add a tag to',
  untag: 'Remove a tag from',
}

const devices = (n: number) => `${n.toLocaleString('en')} device${n === 1 ? '' : 's'}`

/**
 * What to do with the selected devices: reboot, run a script or a profile, tag or untag. Asks first,
 * naming the count; reboots and scripts become one script batch (its progress shows below the bar).
 */
export function BulkBar({
  selection,
  count,
  onStarted,
}: {
  selection: DeviceSelection
  count: number
  onStarted: (result: BulkResult, action: BulkAction) => void
}) {
  const [kind, setKind] = useState<Kind>('reboot')
  const [scriptId, setScriptId] = useState('')
  const [profile, setProfile] = useState('')
  const [tag, setTag] = useState('')
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const scripts = useLoad(() => bench.scripts.list(), [])
  const profiles = useLoad(() => bench.profiles.list(), [])
  const tags = useLoad(() => bench.devices.tags(), [note])

  const chosen = (): { action: BulkAction; what: string } | string => {
    if (kind === 'reboot') return { action: { kind }, what: `Reboot ${devices(count)}?` }
    if (kind === 'script') {
      const script = scripts.data?.find((s) => s.id === scriptId)
      if (!script) return 'Pick the script to run.'
      return { action: { kind, scriptId }, what: `Run “${script.name}” on ${devices(count)}?` }
    }
    if (kind === 'profile') {
      if (!profile) return 'Pick the profile to run.'
      return { action: { kind, profile }, what: `Run profile “${profile}” on ${devices(count)}?` }
    }
    const t = tag.trim()
    if (!t) return 'Type the tag.'
    return kind === 'tag'
      ? { action: { kind, tag: t }, what: `Tag ${devices(count)} “${t}”?` }
      : { action: { kind, tag: t }, what: `Remove the tag “${t}” from ${devices(count)}?` }
  }

  const go = async () => {
    setNote(null)
    setError(null)
    const c = chosen()
    if (typeof c === 'string') return setError(c)
    if (!window.confirm(c.what)) return
    setBusy(true)
    try {
      const result = await bench.devices.bulk(selection, c.action)
      setNote(result.message)
      onStarted(result, c.action)
    } catch (e) {
      setError(`${VERBS[kind]} the selection failed: ${messageOf(e)}`)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="bulk-bar" data-testid="bulk-bar">
      <label className="bulk-field">
        <span className="muted">With {devices(count)}:</span>
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          aria-label="Bulk action"
          data-testid="bulk-action"
        >
          <option value="reboot">Reboot</option>
          <option value="script">Run a script…</option>
          <option value="profile">Run a profile…</option>
          <option value="tag">Add a tag…</option>
          <option value="untag">Remove a tag…</option>
        </select>
      </label>
      {kind === 'script' && (
        <select
          value={scriptId}
          onChange={(e) => setScriptId(e.target.value)}
          aria-label="Script to run"
          data-testid="bulk-script"
        >
          <option value="">Pick a script…</option>
          {(scripts.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      {kind === 'profile' && (
        <select
          value={profile}
          onChange={(e) => setProfile(e.target.value)}
          aria-label="Profile to run"
          data-testid="bulk-profile"
        >
          <option value="">Pick a profile…</option>
          {(profiles.data ?? []).map((p) => (
            <option key={p.id} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      )}
      {(kind === 'tag' || kind === 'untag') && (
        <>
          <input
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            placeholder="tag"
            aria-label="Tag"
            list="bulk-tags"
            maxLength={64}
            data-testid="bulk-tag"
          />
          <datalist id="bulk-tags">
            {(tags.data ?? []).map((t) => (
              <option key={t.tag} value={t.tag} />
            ))}
          </datalist>
        </>
      )}
      <button className="primary small" onClick={() => void go()} disabled={busy} data-testid="bulk-go">
        {busy ? <Spinner label="Starting…" /> : 'Go…'}
      </button>
      {note && (
        <span className="muted small" role="status" data-testid="bulk-note">
          {note}
        </span>
      )}
      <ErrorNote error={error} />
    </div>
  )
}
