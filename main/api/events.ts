import type { EventFilter, EventPage, ExportResult } from '../../preload/api'
import type { Bench } from '../core/bench'
import { EVENT_KINDS, type LoggedEvent, type Severity } from '../core/store/types'
import { arr, int, obj, oneOf, optInt, optObj, optStr } from './validate'
import { csvCell } from './csv'

const SEVERITIES: Severity[] = ['debug', 'info', 'warn', 'error']

/** Largest export; past it the file says it was cut (100,000 events is about 30 MB of JSON). */
export const EXPORT_CAP = 200_000

export function parseFilter(value: unknown): EventFilter {
  const f = optObj(value, 'filter')
  return {
    serial: optStr(f.serial, 'serial', 256) || undefined,
    kinds: f.kinds === undefined ? undefined : arr(f.kinds, 'kinds', 20).map((k) => oneOf(k, EVENT_KINDS, 'kind')),
    severity: f.severity === undefined ? undefined : oneOf(f.severity, SEVERITIES, 'severity'),
    text: optStr(f.text, 'search text', 256) || undefined,
  }
}

export function eventHandlers(bench: Bench) {
  const { store } = bench
  return {
    'events.page': async ([query]: unknown[]): Promise<EventPage> => {
      const q = optObj(query, 'query')
      const filter = parseFilter(q)
      const beforeSeq = optInt(q.beforeSeq, 'beforeSeq', 0, Number.MAX_SAFE_INTEGER)
      const limit = optInt(q.limit, 'limit', 1, 1000) ?? 200
      return { rows: store.events.query({ ...filter, beforeSeq, limit }), total: store.events.countMatching(filter) }
    },
    'events.soap': async ([seq]: unknown[]) => store.events.soap(int(seq, 'seq', 0, Number.MAX_SAFE_INTEGER)) ?? null,
    'events.export': async ([filterValue, formatValue]: unknown[]): Promise<ExportResult> => {
      const filter = parseFilter(filterValue === undefined ? {} : obj(filterValue, 'filter'))
      const format = oneOf(formatValue, ['csv', 'json'] as const, 'format')
      return exportEvents(bench, filter, format)
    },
  }
}

/** Pages through the log newest first (never loading it all at once) and writes CSV or JSON. */
export function exportEvents(bench: Bench, filter: EventFilter, format: 'csv' | 'json'): ExportResult {
  const parts: string[] = []
  let rows = 0
  let beforeSeq: number | undefined
  let truncated = false
  for (;;) {
    const page = bench.store.events.query({ ...filter, beforeSeq, limit: 5000 })
    for (const e of page) {
      if (rows === EXPORT_CAP) {
        truncated = true
        break
      }
      parts.push(format === 'csv' ? csvLine(e) : JSON.stringify(e))
      rows++
    }
    if (truncated || page.length < 5000) break
    beforeSeq = page[page.length - 1]!.seq
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
  const content =
    format === 'csv'
      ? ['seq,time,kind,severity,serial,summary,detail', ...parts].join('\r\n') + '\r\n'
      : `[\n${parts.join(',\n')}\n]\n`
  return {
    fileName: `bench-acs-events-${stamp}.${format}`,
    mimeType: format === 'csv' ? 'text/csv' : 'application/json',
    content,
    rows,
    truncated,
  }
}

function csvLine(e: LoggedEvent): string {
  return [
    String(e.seq),
    new Date(e.ts).toISOString(),
    e.kind,
    e.severity,
    e.serial ?? '',
    e.summary,
    e.detail === null ? '' : JSON.stringify(e.detail),
  ]
    .map(csvCell)
    .join(',')
}
