import type { RunRecord } from '../../preload/api'

/** A run's state in the words the technician expects: a listener waits, a stop shows as stopped. */
export function runLabel(run: RunRecord): { label: string; tone: 'info' | 'ok' | 'warn' | 'error' } {
  switch (run.status) {
    case 'queued':
      return { label: 'queued', tone: 'info' }
    case 'running':
      return { label: run.waiting === 'event' ? 'listening' : 'running', tone: 'info' }
    case 'ok':
      return { label: 'done', tone: 'ok' }
    case 'timeout':
      return { label: 'timed out', tone: 'error' }
    case 'killed':
      return run.error?.reason === 'stopped' || run.error?.reason === 'shutdown'
        ? { label: 'stopped', tone: 'warn' }
        : { label: `killed (${run.error?.reason ?? 'limit'})`, tone: 'error' }
    default:
      return { label: 'failed', tone: 'error' }
  }
}

export const isActive = (run: RunRecord) => run.status === 'queued' || run.status === 'running'

export const runDuration = (run: RunRecord) => (run.startedAt && run.endedAt ? run.endedAt - run.startedAt : null)
