import { useEffect, useRef, useState } from 'react'
import type { RunOutputLine, RunRecord, ScriptEnv } from '../../../preload/api'
import { isActive, runDuration, runErrorText, runLabel } from '../../lib/runs'
import { useApp } from '../../lib/context'
import { bench } from '../../lib/bench'
import { clock, duration } from '../../lib/format'
import { messageOf, useLoad, useStream, type Loaded } from '../../lib/hooks'
import { href } from '../../lib/router'
import { Empty, ErrorNote, Spinner } from '../ui'
import { Reference } from './Reference'
import { RunSummary, runTarget, useRunRecords } from './RunSummary'
import { Triggers } from './Triggers'
import { Batches } from './Batches'
import { Environments } from './Environments'

export function RunStatus({ run }: { run: RunRecord }) {
  const { stale } = useApp()
  const { label, tone } = runLabel(run, stale)
  return (
    <span className={`pill ${tone}`} data-testid="run-status" data-status={label}>
      {label}
    </span>
  )
}

/** Bottom panel: live output, run history, triggers, running listeners, the API reference. */
export function RunPanel({
  scriptId,
  started,
  envs,
}: {
  scriptId: string
  started: RunRecord[]
  envs: Loaded<ScriptEnv[]>
}) {
  const [tab, setTab] = useState<'output' | 'runs' | 'triggers' | 'envs' | 'listeners' | 'reference'>('output')
  const [selected, setSelected] = useState<RunRecord[]>([])
  const runs = useRunRecords(selected)
  const output = useRunOutput(selected)
  useEffect(() => {
    if (started.length) {
      setSelected(started)
      setTab('output')
    }
  }, [started])
  // Opening a script shows what its last run printed.
  useEffect(() => {
    let live = true
    bench.scripts.runs({ scriptId, limit: 1 }).then(
      ([last]) => live && last && setSelected((current) => (current.length ? current : [last])),
      () => {},
    )
    return () => {
      live = false
    }
  }, [scriptId])
  return (
    <div className="runpanel">
      <div className="tabs small-tabs" role="tablist">
        {(
          [
            ['output', 'Output'],
            ['runs', 'Runs'],
            ['triggers', 'Triggers'],
            ['envs', 'Environments'],
            ['listeners', 'Running'],
            ['reference', 'API'],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            role="tab"
            className={tab === id ? 'tab active' : 'tab'}
            aria-selected={tab === id}
            onClick={() => setTab(id)}
            data-testid={`run-tab-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="runpanel-body">
        {tab === 'output' ? (
          <Output runs={runs} lines={output.lines} error={output.error} />
        ) : tab === 'runs' ? (
          <History
            query={{ scriptId, limit: 100 }}
            onOpen={(run) => {
              setSelected([run])
              setTab('output')
            }}
          />
        ) : tab === 'triggers' ? (
          <Triggers scriptId={scriptId} />
        ) : tab === 'envs' ? (
          <Environments envs={envs} />
        ) : tab === 'reference' ? (
          <Reference />
        ) : (
          <>
            <Batches />
            <History
              query={{ active: true, inBatch: false, limit: 500 }}
              showScript
              emptyText="No other script is running or listening."
            />
          </>
        )}
      </div>
    </div>
  )
}

/**
 * What the chosen runs printed: read from the store when the choice changes, then kept up to date
 * from the live stream for as long as the panel is open (whichever tab shows), so nothing printed
 * while another tab was in front is missed.
 */
function useRunOutput(runs: RunRecord[]) {
  const runIds = runs.map((r) => r.id)
  const [lines, setLines] = useState<RunOutputLine[]>([])
  const [error, setError] = useState<string | null>(null)
  const idsRef = useRef(runIds)
  idsRef.current = runIds
  const key = runIds.join(',')
  const load = () => {
    const ids = idsRef.current
    Promise.all(ids.map((id) => bench.scripts.output(id))).then(
      // Still the same runs? (a new array each render: compare the ids, not the array)
      (all) => idsRef.current.join(',') === ids.join(',') && setLines((current) => merge(current, all.flat())),
      (e: unknown) => setError(messageOf(e)),
    )
  }
  useStream('scripts.output', (batch) => {
    const mine = batch.filter((l) => idsRef.current.includes(l.runId))
    if (mine.length) setLines((current) => merge(current, mine))
  })
  // A run's output reaches the store in batches: read it once more when one of the runs ends.
  useStream('scripts.runs', (batch) => {
    if (batch.some((r) => idsRef.current.includes(r.id) && !isActive(r))) load()
  })
  useEffect(() => {
    setLines([])
    setError(null)
    load()
  }, [key])
  return { lines, error }
}

/** A console: the lines, following the end like a terminal unless the reader scrolled up. */
function Output({ runs, lines, error }: { runs: RunRecord[]; lines: RunOutputLine[]; error: string | null }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 60) el.scrollTop = el.scrollHeight
  }, [lines])
  if (runs.length === 0)
    return (
      <Empty title="Nothing run yet.">
        Pick a target and press Run: what the script prints shows here as it happens.
      </Empty>
    )
  const many = runs.length > 1
  const targets = new Map(runs.map((r) => [r.id, runTarget(r)]))
  return (
    <div className="output">
      <RunSummary runs={runs} />
      <div className="console" ref={box} data-testid="run-output">
        <ErrorNote error={error} />
        {lines.map((l) => (
          <div
            key={`${l.runId}|${l.seq}`}
            className={`console-line ${l.stream} ${l.level ?? ''}`}
            data-testid="output-line"
          >
            <span className="console-time">{clock(l.ts)}</span>
            {many && <span className="console-run">{targets.get(l.runId) ?? l.runId.slice(-6)}</span>}
            <span className="console-text">{l.text}</span>
          </div>
        ))}
        {lines.length === 0 && <span className="muted">Nothing printed yet.</span>}
      </div>
    </div>
  )
}

function merge(a: RunOutputLine[], b: RunOutputLine[]): RunOutputLine[] {
  const seen = new Set(a.map((l) => `${l.runId}|${l.seq}`))
  const out = [...a, ...b.filter((l) => !seen.has(`${l.runId}|${l.seq}`))]
  return out.sort((x, y) => x.ts - y.ts || x.seq - y.seq)
}

function History(props: {
  query: { scriptId?: string; active?: boolean; inBatch?: false; limit: number }
  showScript?: boolean
  emptyText?: string
  onOpen?: (run: RunRecord) => void
}) {
  const runs = useLoad(() => bench.scripts.runs(props.query), [JSON.stringify(props.query)], { live: true })
  const [rows, setRows] = useState<RunRecord[]>([])
  const [stopping, setStopping] = useState<Set<string>>(new Set())
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (runs.data) setRows(runs.data)
  }, [runs.data])
  useStream('scripts.runs', (batch) => {
    setRows((current) => {
      const byId = new Map(current.map((r): [string, RunRecord] => [r.id, r]))
      for (const r of batch) {
        if (props.query.scriptId && r.scriptId !== props.query.scriptId) continue
        // The Running tab keeps a run that just stopped, so the stop can be seen.
        if (props.query.active && !byId.has(r.id) && !isActive(r)) continue
        // Runs of a batch show as its one row above.
        if (props.query.inBatch === false && r.batchId) continue
        byId.set(r.id, r)
      }
      return [...byId.values()].sort((x, y) => y.queuedAt - x.queuedAt)
    })
  })
  const stop = async (id: string) => {
    setStopping((s) => new Set(s).add(id))
    try {
      await bench.scripts.stop(id)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setStopping((s) => {
        const n = new Set(s)
        n.delete(id)
        return n
      })
    }
  }
  if (runs.loading && !runs.data) return <Spinner label="Loading runs…" />
  if (rows.length === 0) return <Empty title={props.emptyText ?? 'No runs of this script yet.'} />
  return (
    <div className="history">
      <ErrorNote error={error ?? runs.error} />
      <table className="plain" data-testid={props.query.active ? 'listeners' : 'run-history'}>
        <thead>
          <tr>
            {props.showScript && <th>Script</th>}
            <th>Status</th>
            <th>Device</th>
            <th>Started</th>
            <th>Took</th>
            <th>From</th>
            <th>Error</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="run-row" data-run={r.id} data-status={runLabel(r).label}>
              {props.showScript && (
                <td>{r.scriptId ? <a href={href('scripts', r.scriptId)}>{r.scriptName}</a> : r.scriptName}</td>
              )}
              <td>
                <RunStatus run={r} />
              </td>
              <td className="mono">
                {r.targets.length === 0
                  ? '—'
                  : r.targets.slice(0, 3).map((serial) => (
                      <a key={serial} href={href('devices', serial)} className="target-link">
                        {serial}
                      </a>
                    ))}
                {r.targets.length > 3 && <span className="muted"> +{r.targets.length - 3}</span>}
              </td>
              <td className="mono small">{clock(r.startedAt ?? r.queuedAt)}</td>
              <td>{isActive(r) ? <Spinner /> : duration(runDuration(r))}</td>
              <td className="small mono">
                {r.trigger.kind === 'manual' ? (r.trigger.by ?? 'manual') : r.trigger.kind}
              </td>
              <td className="small error-text" title={r.error?.traceback}>
                {r.error && runLabel(r).label !== 'stopped' ? runErrorText(r.error) : ''}
              </td>
              <td className="row-actions">
                {props.onOpen && (
                  <button className="link small" onClick={() => props.onOpen!(r)} data-testid="run-open">
                    output
                  </button>
                )}
                {isActive(r) && (
                  <button
                    className="small danger"
                    onClick={() => stop(r.id)}
                    disabled={stopping.has(r.id)}
                    data-testid="run-stop"
                  >
                    {stopping.has(r.id) ? <Spinner label="Stopping…" /> : 'Stop'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
