import { useEffect, useState } from 'react'
import type { RunRecord, RunTarget, ScriptRecord, ScriptVersion, SyntaxIssue } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { dateTime } from '../../lib/format'
import { messageOf, useLoad, useStream } from '../../lib/hooks'
import { navigate } from '../../lib/router'
import { LuaEditor } from '../LuaEditor'
import { ErrorNote, Spinner } from '../ui'
import { RunBar } from './RunBar'
import { RunPanel } from './RunPanel'
import { useRunRecords } from './RunSummary'
import { isActive } from '../../lib/runs'

/** One open script: name and actions, the editor with its problems, the run bar and the run panel. */
export function ScriptWorkspace({ id, onGone }: { id: string; onGone: () => void }) {
  const loaded = useLoad(() => bench.scripts.get(id), [id])
  // Shared by the run bar's selector and the Environments tab, so a saved one is offered at once.
  const envs = useLoad(() => bench.scripts.envs(), [], { live: true })
  // Saved or deleted in another window or browser tab: read them again.
  useStream('scripts.envs', () => envs.reload())
  const [script, setScript] = useState<ScriptRecord | null>(null)
  const [draft, setDraft] = useState('')
  const [viewing, setViewing] = useState<ScriptVersion | null>(null)
  const [issues, setIssues] = useState<SyntaxIssue[]>([])
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  /** Why the last Run could not start (an unknown serial, …): shown at the run bar. */
  const [runError, setRunError] = useState<string | null>(null)
  const [renaming, setRenaming] = useState<string | null>(null)
  const [runs, setRuns] = useState<RunRecord[]>([])
  const live = useRunRecords(runs)
  const [stopping, setStopping] = useState(false)
  const [jump, setJump] = useState<{ line: number } | null>(null)
  /** Run refused because the draft does not compile: the first error, clickable. */
  const [runIssue, setRunIssue] = useState<SyntaxIssue | null>(null)

  useEffect(() => {
    if (loaded.data) {
      setScript(loaded.data)
      setDraft(loaded.data.source)
    }
  }, [loaded.data])

  if (loaded.loading && !script) return <Spinner label="Loading script…" />
  if (!script)
    return (
      <ErrorNote
        error={loaded.error ?? 'This script no longer exists.'}
        onRetry={loaded.data === null ? onGone : loaded.reload}
      />
    )

  const dirty = draft !== script.source
  const act = async (label: string, fn: () => Promise<void>) => {
    setBusy(label)
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(null)
    }
  }
  const save = () =>
    act('save', async () => {
      if (!dirty) return
      const saved = await bench.scripts.save(id, draft)
      setScript(saved)
    })
  const run = async (target: RunTarget, env?: string) => {
    setBusy('run')
    setRunError(null)
    setRunIssue(null)
    try {
      let current = script
      // A draft that does not compile is neither saved nor run: the last good version stays.
      const [issue] = await bench.scripts.check(draft)
      if (issue) {
        setRunIssue(issue)
        setIssues([issue])
        return
      }
      if (dirty) {
        current = await bench.scripts.save(id, draft)
        setScript(current)
      }
      setRuns(await bench.scripts.run(current.id, target, env))
    } catch (e) {
      setRunError(`Could not run: ${messageOf(e)}`)
    } finally {
      setBusy(null)
    }
  }

  /** Stop next to Run: the whole batch when the last start was on several devices. */
  const stop = async () => {
    const first = runs[0]
    if (!first) return
    setStopping(true)
    setRunError(null)
    try {
      if (first.batchId) await bench.scripts.stopBatch(first.batchId)
      else await bench.scripts.stop(first.id)
    } catch (e) {
      setRunError(`Could not stop: ${messageOf(e)}`)
    } finally {
      setStopping(false)
    }
  }

  return (
    <div className="script-workspace">
      <div className="script-head">
        {renaming !== null ? (
          <form
            className="rename"
            onSubmit={(e) => {
              e.preventDefault()
              void act('rename', async () => {
                setScript(await bench.scripts.rename(id, renaming))
                setRenaming(null)
              })
            }}
          >
            <input
              autoFocus
              value={renaming}
              onChange={(e) => setRenaming(e.target.value)}
              data-testid="script-rename-input"
            />
            <button type="submit" className="small primary" disabled={!renaming.trim()}>
              Rename
            </button>
            <button type="button" className="small" onClick={() => setRenaming(null)}>
              Cancel
            </button>
          </form>
        ) : (
          <h2
            className="script-name"
            title="Click to rename"
            onClick={() => setRenaming(script.name)}
            data-testid="script-name"
          >
            {script.name}
            {dirty && (
              <span className="dirty" title="Unsaved changes" data-testid="script-dirty">
                {' '}
                ●
              </span>
            )}
          </h2>
        )}
        <span className="spacer" />
        <Versions id={id} current={script.version} viewing={viewing} onView={setViewing} />
        <button onClick={save} disabled={!dirty || busy !== null} data-testid="script-save">
          {busy === 'save' ? <Spinner label="Saving…" /> : 'Save'}
        </button>
        <button
          onClick={() =>
            act('duplicate', async () => {
              const copy = await bench.scripts.duplicate(id)
              navigate('scripts', copy.id)
            })
          }
          disabled={busy !== null}
          data-testid="script-duplicate"
        >
          Duplicate
        </button>
        <button
          className="danger"
          onClick={() => {
            if (!window.confirm(`Delete “${script.name}” and its history?`)) return
            void act('delete', async () => {
              await bench.scripts.remove(id)
              onGone()
            })
          }}
          disabled={busy !== null}
          data-testid="script-delete"
        >
          Delete
        </button>
      </div>
      <ErrorNote error={error} />
      {viewing && (
        <div className="note info">
          Viewing version {viewing.version} from {dateTime(viewing.savedAt)} (read-only).
          <button
            className="small"
            onClick={() => (setDraft(viewing.source), setViewing(null))}
            data-testid="version-restore"
          >
            Restore into the editor
          </button>
          <button className="small" onClick={() => setViewing(null)}>
            Back to the current one
          </button>
        </div>
      )}
      <div className="editor-wrap">
        <LuaEditor
          docKey={viewing ? `${id}@${viewing.version}` : `${id}@draft`}
          value={viewing ? viewing.source : draft}
          readOnly={Boolean(viewing)}
          onChange={(v) => !viewing && setDraft(v)}
          onSave={() => void save()}
          check={(source) => bench.scripts.check(source)}
          onIssues={(found) => {
            setIssues(found)
            if (found.length === 0) setRunIssue(null)
          }}
          jump={jump}
        />
      </div>
      <div className="problems" data-testid="script-problems">
        {issues.length === 0 ? (
          <span className="muted small" data-testid="script-no-problems">
            No syntax errors.
          </span>
        ) : (
          issues.map((p, i) => (
            <button
              key={i}
              type="button"
              className="problem"
              data-testid="script-problem"
              data-line={p.line}
              title="Go to this line"
              onClick={() => setJump({ line: p.line })}
            >
              <span className="sev sev-error">error</span> line {p.line}
              {p.column ? `:${p.column}` : ''} — {p.message}
            </button>
          ))
        )}
      </div>
      <RunBar
        scriptName={script.name}
        running={busy === 'run'}
        active={live.some(isActive)}
        stopping={stopping}
        envs={envs}
        onRun={(target, env) => void run(target, env)}
        onStop={() => void stop()}
      />
      {runIssue && (
        <div className="note error" role="alert" data-testid="run-refused">
          <span>Not run and not saved: fix the syntax error first, at</span>
          <button
            type="button"
            className="link"
            onClick={() => setJump({ line: runIssue.line })}
            data-testid="run-refused-line"
          >
            line {runIssue.line}
          </button>
          <span>(marked in the editor).</span>
        </div>
      )}
      {runError && (
        <div className="note error" role="alert" data-testid="run-error">
          {runError}
        </div>
      )}
      <RunPanel scriptId={id} started={runs} envs={envs} />
    </div>
  )
}

function Versions(props: {
  id: string
  current: number
  viewing: ScriptVersion | null
  onView: (v: ScriptVersion | null) => void
}) {
  const [open, setOpen] = useState(false)
  const versions = useLoad(
    () => (open ? bench.scripts.versions(props.id) : Promise.resolve([])),
    [open, props.id, props.current],
  )
  return (
    <div className="dropdown">
      <button onClick={() => setOpen((o) => !o)} data-testid="script-versions">
        Versions ▾
      </button>
      {open && (
        <div className="dropdown-menu" data-testid="script-versions-menu">
          {versions.loading && <Spinner />}
          {versions.data?.map((v) => (
            <button
              key={v.version}
              className="dropdown-item"
              onClick={() => {
                props.onView(v.version === props.current ? null : v)
                setOpen(false)
              }}
              data-testid="script-version"
            >
              v{v.version} · {dateTime(v.savedAt)}
              {v.version === props.current ? ' (current)' : ''}
            </button>
          ))}
          {versions.data?.length === 0 && <span className="muted small">No earlier versions.</span>}
        </div>
      )}
    </div>
  )
}
