import type { RunStore } from './store'
import type { RunRecord } from '../types'

// Several processes may run scripts on one database: the app, and `bench-acs run --data` pointed
// at the app's folder. Each records its runs as its own and writes a heartbeat, so that one
// starting up settles only the runs of processes that are gone.

/** A process that runs scripts writes its heartbeat this often, ms… */
export const HOST_BEAT_MS = 10_000
/** …and is taken for gone once it has not for this long (a crash, a reboot that reused its pid). */
export const HOST_STALE_MS = 6 * HOST_BEAT_MS

/**
 * Runs recorded as queued or running whose process is gone: it has not beaten lately, or its pid
 * is dead, or it is this process (a bench created again in the same process: the old one's runs
 * are not running here). Runs from before owners were recorded count as gone.
 */
export function orphanedRuns(runs: RunStore, now: number): RunRecord[] {
  const live = runs.hosts(now - HOST_STALE_MS)
  return runs
    .active()
    .filter(({ owner }) => {
      const pid = owner === null ? undefined : live.get(owner)
      return pid === undefined || pid === process.pid || !processAlive(pid)
    })
    .map(({ run }) => run)
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
