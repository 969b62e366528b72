import type { RunRecord } from '../../preload/api'

/**
 * A run's state in the words the technician expects: a listener waits, a stop shows as stopped.
 * With `stale` (the connection to the server is lost) a run that was still going is "unknown":
 * it may have ended meanwhile.
 */
export function runLabel(
  run: RunRecord,
  stale = false,
): { label: string; tone: 'info' | 'ok' | 'warn' | 'error' | 'unknown' } {
  if (stale && isActive(run)) return { label: 'unknown', tone: 'unknown' }
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

/**
 * A run's error as one line: "line 3: 'end' expected near <eof>". The runtime's message starts
 * with the chunk's own "name:3:" when it has a line; that prefix is dropped, not repeated.
 */
export function runErrorText(error: { message: string; line?: number }): string {
  if (!error.line) return error.message
  const prefix = new RegExp(`^[^\\n]*?:${error.line}: `)
  return `line ${error.line}: ${error.message.replace(prefix, '')}`
}
