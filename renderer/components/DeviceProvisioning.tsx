import { useState } from 'react'
import type { ProfileRun } from '../../preload/api'
import { bench } from '../lib/bench'
import { dateTime, duration } from '../lib/format'
import { messageOf, useLoad, useStream } from '../lib/hooks'
import { href } from '../lib/router'
import { Empty, ErrorNote, Note, Spinner } from './ui'

const SHOWN = 5

/** The device page's Provisioning tab: its last profile runs, step by step, live; run one again. */
export function DeviceProvisioning({ serial, canSend }: { serial: string; canSend: boolean }) {
  const loaded = useLoad(() => bench.profiles.runs({ serial, limit: SHOWN }), [serial], { live: true })
  const profiles = useLoad(() => bench.profiles.list(), [])
  // Runs heard on the stream since the load, by id (a run's latest state replaces the one loaded).
  const [heard, setHeard] = useState<{ base: unknown; runs: Map<string, ProfileRun> }>({
    base: undefined,
    runs: new Map(),
  })
  useStream('profiles.runs', (batch) => {
    const mine = batch.filter((r) => r.serial === serial)
    if (mine.length === 0) return
    setHeard((prev) => {
      const runs = new Map(prev.base === loaded.data ? prev.runs : [])
      for (const r of mine) runs.set(r.id, r)
      return { base: loaded.data, runs }
    })
  })
  const [note, setNote] = useState<{ ok: boolean; message: string } | null>(null)
  const [chosen, setChosen] = useState('')

  const byId = new Map((loaded.data ?? []).map((r) => [r.id, r]))
  if (heard.base === loaded.data) for (const [id, r] of heard.runs) byId.set(id, r)
  const runs = [...byId.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, SHOWN)

  const run = async (name: string) => {
    setNote(null)
    try {
      const ids = await bench.profiles.run(name, [serial])
      setNote(
        ids.length
          ? { ok: true, message: `"${name}" started on ${serial}.` }
          : { ok: false, message: `"${name}" is already queued or running on ${serial}: wait for it to end.` },
      )
    } catch (e) {
      setNote({ ok: false, message: messageOf(e) })
    }
  }

  const names = profiles.data?.map((p) => p.name) ?? []
  const pick = chosen || names[0] || ''
  return (
    <div className="provisioning" data-testid="provisioning">
      <div className="toolbar">
        <label className="row">
          Profile{' '}
          <select value={pick} onChange={(e) => setChosen(e.target.value)} data-testid="provisioning-profile">
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button disabled={!canSend || !pick} onClick={() => void run(pick)} data-testid="provisioning-run">
          Run on this device
        </button>
        {profiles.data?.length === 0 && (
          <span className="muted small">
            No profiles yet: <a href={href('profiles')}>create one on the Profiles page</a>.
          </span>
        )}
      </div>
      {note && (
        <Note kind={note.ok ? 'ok' : 'warn'} testId="provisioning-note">
          {note.message}
        </Note>
      )}
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data ? (
        <Spinner label="Loading profile runs…" />
      ) : runs.length === 0 ? (
        <Empty title="No profile has run on this device yet." testId="provisioning-empty">
          Enabled profiles run on the events they name (0 BOOTSTRAP: the device&apos;s first contact or a factory
          reset); run one by hand above.
        </Empty>
      ) : (
        runs.map((r) => (
          <div key={r.id} className="card" data-testid="provisioning-run-card" data-status={r.status}>
            <div className="row">
              <strong>
                {r.profileName} <span className="muted small">v{r.profileVersion}</span>
              </strong>
              <span className={`badge prov-${r.status === 'running' ? 'pending' : r.status}`}>{r.status}</span>
              <span className="muted small">
                {r.trigger === 'manual' ? 'run by hand' : `on ${r.trigger}`} · {dateTime(r.startedAt)}
                {r.endedAt && ` · took ${duration(r.endedAt - r.startedAt)}`}
              </span>
              <button
                className="link"
                disabled={!canSend || r.status === 'running'}
                onClick={() => void run(r.profileName)}
                data-testid="provisioning-again"
              >
                Run again
              </button>
            </div>
            <table className="plain small">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Step</th>
                  <th>Outcome</th>
                  <th>Detail</th>
                  <th>Took</th>
                </tr>
              </thead>
              <tbody>
                {r.steps.map((s) => (
                  <tr key={s.index} data-testid="provisioning-step" data-outcome={s.outcome}>
                    <td>{s.index + 1}</td>
                    <td>{s.summary}</td>
                    <td>{s.outcome}</td>
                    <td className="mono">
                      {s.detail}
                      {s.faultCode !== undefined && ` (fault ${s.faultCode})`}
                    </td>
                    <td>{duration(s.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
    </div>
  )
}
