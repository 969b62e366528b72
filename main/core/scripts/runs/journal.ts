import { describeMs } from '../../lua/limits'
import type { NewEvent } from '../../store/types'
import type { RunRecord } from '../types'

/** The event-log row of a run that ended: how it ended and after how long, in one line. */
export function runEndedEvent(r: RunRecord): NewEvent {
  const took = r.startedAt && r.endedAt ? describeMs(r.endedAt - r.startedAt) : 'no time'
  const what =
    r.status === 'ok'
      ? `finished in ${took}`
      : r.status === 'error'
        ? `failed after ${took}: ${r.error?.message ?? ''}`
        : r.status === 'timeout'
          ? `timed out after ${took}`
          : `was stopped after ${took}: ${r.error?.message ?? ''}`
  return {
    kind: 'script',
    severity: r.status === 'ok' ? 'info' : r.status === 'error' ? 'error' : 'warn',
    serial: r.targets.length === 1 ? r.targets[0]! : null,
    summary: `Script "${r.scriptName}"${r.targets.length === 1 ? ` on ${r.targets[0]}` : ''} ${what}`.slice(0, 1000),
    detail: { runId: r.id, status: r.status, trigger: r.trigger.kind },
  }
}
