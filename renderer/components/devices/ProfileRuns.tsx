import { useEffect, useState } from 'react'
import type { ProfileRun } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { useStream } from '../../lib/hooks'

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
    </div>
  )
}
