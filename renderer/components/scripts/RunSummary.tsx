import { useEffect, useRef, useState } from 'react'
import type { RunRecord } from '../../../preload/api'
import { useStream } from '../../lib/hooks'
import { isActive, runDuration, runErrorText, runLabel } from '../../lib/runs'
import { useApp } from '../../lib/context'
import { duration } from '../../lib/format'
import { Spinner } from '../ui'

/** The chosen runs as they are now: the records given, kept current from the live stream. */
export function useRunRecords(chosen: RunRecord[]): RunRecord[] {
  const [records, setRecords] = useState(chosen)
  // What the stream said lately: a quick run can finish before the reply that started it arrives.
  const seen = useRef(new Map<string, RunRecord>())
  useEffect(() => setRecords(chosen.map((r) => seen.current.get(r.id) ?? r)), [chosen])
  useStream('scripts.runs', (batch) => {
    for (const r of batch) {
      seen.current.delete(r.id)
      seen.current.set(r.id, r)
    }
    for (const id of seen.current.keys()) {
      if (seen.current.size <= 2000) break
      seen.current.delete(id)
    }
    const byId = new Map(batch.map((r): [string, RunRecord] => [r.id, r]))
    setRecords((current) => (current.some((r) => byId.has(r.id)) ? current.map((r) => byId.get(r.id) ?? r) : current))
  })
  return records
}

/** The device a run is for, as the console and the summary name it. */
export const runTarget = (run: RunRecord) =>
  run.targets.length === 0 ? 'no device' : run.targets.length === 1 ? run.targets[0]! : `${run.targets.length} devices`

/**
 * Above the console: how the chosen run is doing (running, listening, done, failed with its
 * line), or for a run on many devices how many are done, failed and still going.
 */
export function RunSummary({ runs }: { runs: RunRecord[] }) {
  const { stale } = useApp()
  if (runs.length === 0) return null
  if (runs.length === 1) {
    const run = runs[0]!
    const { label, tone } = runLabel(run, stale)
    return (
      <div className="run-summary" data-testid="run-summary" data-status={label}>
        <span className={`pill ${tone}`}>{label}</span>
        <span className="mono">{runTarget(run)}</span>
        {run.env && (
          <span className="muted" data-testid="run-summary-env">
            with {run.env}
          </span>
        )}
        {isActive(run) ? (
          <span className="muted">
            {run.waiting === 'event'
              ? 'waiting for CWMP events — stop it from the Running tab'
              : run.waiting === 'rpc'
                ? 'waiting for the device to answer'
                : run.status === 'queued'
                  ? 'queued'
                  : 'running'}
          </span>
        ) : (
          <span className="muted">{duration(runDuration(run))}</span>
        )}
        {run.error && label !== 'stopped' && (
          <span className="error-text" data-testid="run-summary-error" title={run.error.traceback}>
            {runErrorText(run.error)}
          </span>
        )}
      </div>
    )
  }
  const counts = new Map<string, number>()
  for (const r of runs) {
    const { label } = runLabel(r)
    counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  const active = runs.filter(isActive).length
  const done = runs.length - active
  return (
    <div className="run-summary" data-testid="run-summary" data-status={active ? 'running' : 'finished'}>
      {active > 0 && <Spinner />}
      <span>
        {done} of {runs.length} runs finished
      </span>
      {[...counts].map(([label, n]) => (
        <span key={label} className={`pill ${runLabelTone(runs, label)}`}>
          {n} {label}
        </span>
      ))}
    </div>
  )
}

const runLabelTone = (runs: RunRecord[], label: string) => runLabel(runs.find((r) => runLabel(r).label === label)!).tone
