import { useEffect, useRef, useState } from 'react'
import type { BatchProgress } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { clock } from '../../lib/format'
import { messageOf, useLoad, useStream } from '../../lib/hooks'
import { href } from '../../lib/router'
import { ErrorNote, Spinner } from '../ui'

/** How often the counts are read again while a batch's runs change, ms (2,000 runs: a few reads). */
const RELOAD_MS = 300

/**
 * The Running tab's batches: one row per run on several devices, with its counts and "Stop the
 * rest", instead of a row (and a Stop) per device.
 */
export function Batches({ only }: { only?: string[] } = {}) {
  const loaded = useLoad(() => bench.scripts.batches(), [], { live: true })
  const [stopping, setStopping] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const { reload } = loaded
  useStream('scripts.runs', (runs) => {
    if (!runs.some((r) => r.batchId) || timer.current) return
    timer.current = setTimeout(() => {
      timer.current = undefined
      reload()
    }, RELOAD_MS)
  })
  useEffect(() => () => clearTimeout(timer.current), [])
  const stop = async (b: BatchProgress) => {
    setStopping(b.batchId)
    setError(null)
    try {
      await bench.scripts.stopBatch(b.batchId)
      reload()
    } catch (e) {
      setError(`Could not stop the batch: ${messageOf(e)}`)
    } finally {
      setStopping(null)
    }
  }
  // The device list shows only the batches it started.
  const batches = (loaded.data ?? []).filter((b) => !only || only.includes(b.batchId))
  if (batches.length === 0) return <ErrorNote error={error ?? loaded.error} />
  return (
    <div className="history">
      <ErrorNote error={error ?? loaded.error} />
      <table className="plain" data-testid="batches">
        <thead>
          <tr>
            <th>Script</th>
            <th>Devices</th>
            <th>Progress</th>
            <th>Started</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {batches.map((b) => {
            const finished = b.done + b.failed + b.stopped
            const active = b.queued + b.running > 0
            return (
              <tr
                key={b.batchId}
                data-testid="batch-row"
                data-batch={b.batchId}
                data-state={active ? 'active' : 'ended'}
              >
                <td>{b.scriptId ? <a href={href('scripts', b.scriptId)}>{b.scriptName}</a> : b.scriptName}</td>
                <td>{b.total.toLocaleString('en')}</td>
                <td className="batch-progress">
                  <progress max={b.total} value={finished} aria-label={`${finished} of ${b.total} runs finished`} />
                  <span className="batch-counts" data-testid="batch-counts">
                    <Count n={b.running} label="running" tone="info" />
                    <Count n={b.queued} label="queued" tone="info" />
                    <Count n={b.done} label="done" tone="ok" />
                    <Count n={b.failed} label="failed" tone="error" />
                    <Count n={b.stopped} label="stopped" tone="warn" />
                  </span>
                </td>
                <td className="mono small">{clock(b.queuedAt)}</td>
                <td className="row-actions">
                  {active ? (
                    <button
                      className="small danger"
                      onClick={() => void stop(b)}
                      disabled={stopping === b.batchId}
                      data-testid="batch-stop"
                    >
                      {stopping === b.batchId ? (
                        <Spinner label="Stopping…" />
                      ) : (
                        `Stop the rest (${b.queued + b.running})`
                      )}
                    </button>
                  ) : (
                    <span className="muted small">ended</span>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function Count({ n, label, tone }: { n: number; label: string; tone: string }) {
  if (n === 0) return null
  return (
    <span className={`pill ${tone}`} data-count={label}>
      {n.toLocaleString('en')} {label}
    </span>
  )
}
