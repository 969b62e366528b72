import { useEffect, useState } from 'react'
import { ErrorNote, Spinner } from '../ui'
import type { ProfileRun } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { messageOf, useStream } from '../../lib/hooks'

/**
 * How a profile started from the device list is going on its devices: its runs' states, from the
 * profiles.runs stream (a profile's runs are not a script batch: each device runs its profiles in turn).
 */
export function ProfileRuns({ profile, ids }: { profile: string; ids: string[] }) {
  const [status, setStatus] = useState<Map<string, ProfileRun['status']>>(new Map())
  const apply = (runs: ProfileRun[]) =>
    setStatus((now) => {
      const wanted = new Set(ids)
      const next = new Map(now)
      for (const r of runs) if (wanted.has(r.id)) next.set(r.id, r.status)
      return next
    })
  useStream('profiles.runs', apply)
  // Runs that ended before the stream was listened to.
  useEffect(() => {
    void bench.profiles.runs({ profile, limit: Math.min(10_000, ids.length * 2) }).then(apply, () => {})
  }, [profile, ids.join(',')])
  const done = ids.filter((id) => status.get(id) === 'done').length
  const failed = ids.filter((id) => status.get(id) === 'failed').length
  const running = ids.length - done - failed
  const [stopping, setStopping] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const stop = async () => {
    setStopping(true)
    setProblem(null)
    try {
      // The runs still going end as failed, "stopped by the technician": the stream brings them.
      await bench.profiles.stop(ids.filter((id) => status.get(id) !== 'done' && status.get(id) !== 'failed'))
    } catch (error) {
      setProblem(`Could not stop the runs: ${messageOf(error)}`)
    } finally {
      setStopping(false)
    }
  }
  return (
    <div className="selection-note" data-testid="profile-batch" data-state={running ? 'active' : 'ended'}>
      <span>Profile “{profile}”:</span>
      <progress
        max={ids.length}
        value={done + failed}
        aria-label={`${done + failed} of ${ids.length} devices finished`}
      />
      <span className="batch-counts" data-testid="profile-batch-counts">
        {running > 0 && <span className="pill info">{running.toLocaleString('en')} running or waiting</span>}
        {done > 0 && <span className="pill ok">{done.toLocaleString('en')} done</span>}
        {failed > 0 && <span className="pill error">{failed.toLocaleString('en')} failed</span>}
      </span>
      {running > 0 && (
        <button
          className="small danger"
          onClick={() => void stop()}
          disabled={stopping}
          data-testid="profile-batch-stop"
        >
          {stopping ? <Spinner label="Stopping…" /> : `Stop the rest (${running.toLocaleString('en')})`}
        </button>
      )}
      <ErrorNote error={problem} />
    </div>
  )
}
