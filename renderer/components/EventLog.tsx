import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { EVENT_KINDS, type EventFilter, type EventKind, type LoggedEvent, type Severity } from '../../preload/api'
import { clock, saveFile } from '../lib/format'
import { bench } from '../lib/bench'
import { useDebounced, messageOf } from '../lib/hooks'
import { useEventLog } from '../lib/events'
import { href } from '../lib/router'
import { EventDetail } from './EventDetail'
import { Empty, ErrorNote, Note, Spinner } from './ui'

const ROW = 26
// Wide enough for 00:00:00.000, connection-request, error and a 16-character serial.
const COLUMNS = '96px 124px 44px 128px minmax(0, 1fr)'

/** Wireshark-style live log: filter bar, virtual list (newest first), detail pane. */
export function EventLog({ fixedSerial, emptyHint }: { fixedSerial?: string; emptyHint?: React.ReactNode }) {
  const [serialText, setSerialText] = useState('')
  const [kinds, setKinds] = useState<EventKind[]>([])
  const [severity, setSeverity] = useState<Severity | ''>('')
  const [text, setText] = useState('')
  const debouncedText = useDebounced(text, 200)
  const debouncedSerial = useDebounced(serialText.trim(), 200)
  const filter: EventFilter = {
    serial: fixedSerial ?? (debouncedSerial || undefined),
    kinds: kinds.length ? kinds : undefined,
    severity: severity || undefined,
    text: debouncedText || undefined,
  }
  const log = useEventLog(filter)
  const [selected, setSelected] = useState<LoggedEvent | null>(null)
  const [exporting, setExporting] = useState<string | null>(null)
  const [exportNote, setExportNote] = useState<{ ok: boolean; text: string } | null>(null)

  const scrollRef = useRef<HTMLDivElement>(null)
  const count = log.rows.length + (log.hasMore ? 1 : 0)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items[items.length - 1]?.index ?? 0
  useEffect(() => {
    if (log.hasMore && lastIndex >= log.rows.length - 1) log.loadMore()
  }, [lastIndex, log.hasMore, log.rows.length, log.loadMore])

  // New rows go on top; a reader who scrolled down keeps looking at the same rows.
  useLayoutEffect(() => {
    const el = scrollRef.current
    if (el && el.scrollTop > 0 && log.prepended.count) el.scrollTop += log.prepended.count * ROW
  }, [log.prepended])

  // Wireshark's keys: arrows move through the rows (the detail follows), Escape closes the detail.
  const onKeyDown = (ev: React.KeyboardEvent) => {
    if (ev.key === 'Escape') {
      setSelected(null)
      return
    }
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return
    ev.preventDefault()
    const at = selected ? log.rows.findIndex((r) => r.seq === selected.seq) : -1
    const next = Math.max(0, Math.min(log.rows.length - 1, at + (ev.key === 'ArrowDown' ? 1 : -1)))
    const row = log.rows[next]
    if (!row) return
    setSelected(row)
    virtualizer.scrollToIndex(next)
  }

  const toggleKind = (k: EventKind) => setKinds((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]))

  const exportAs = async (format: 'csv' | 'json') => {
    setExporting(format)
    setExportNote(null)
    try {
      const result = await bench.events.export(filter, format)
      saveFile(result.fileName, result.mimeType, result.content)
      setExportNote({
        ok: true,
        text: `Exported ${result.rows.toLocaleString()} events to ${result.fileName}${result.truncated ? ' (cut at the export limit; narrow the filter for the rest)' : ''}.`,
      })
    } catch (e) {
      setExportNote({ ok: false, text: `Export failed: ${messageOf(e)}` })
    } finally {
      setExporting(null)
    }
  }

  const filtered = Boolean(filter.kinds || filter.severity || filter.text || (!fixedSerial && filter.serial))
  return (
    <div className="eventlog">
      <div className="toolbar wrap">
        {!fixedSerial && (
          <input
            className="serial-filter"
            placeholder="Device serial"
            value={serialText}
            onChange={(e) => setSerialText(e.target.value)}
            data-testid="events-serial-filter"
          />
        )}
        <input
          type="search"
          className="search"
          placeholder="Search summaries…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="events-search"
        />
        <select
          value={severity}
          onChange={(e) => setSeverity(e.target.value as Severity | '')}
          data-testid="events-severity"
        >
          <option value="">Any severity</option>
          <option value="info">Info and up</option>
          <option value="warn">Warnings and errors</option>
          <option value="error">Errors only</option>
        </select>
        <span className="spacer" />
        {log.paused ? (
          <button onClick={log.resume} className="primary" data-testid="events-resume">
            Resume{log.missed > 0 ? ` (${log.missed} new)` : ''}
          </button>
        ) : (
          <button onClick={log.pause} data-testid="events-pause">
            Pause
          </button>
        )}
        <button onClick={() => exportAs('csv')} disabled={exporting !== null} data-testid="events-export-csv">
          {exporting === 'csv' ? <Spinner label="Exporting…" /> : 'Export CSV'}
        </button>
        <button onClick={() => exportAs('json')} disabled={exporting !== null} data-testid="events-export-json">
          {exporting === 'json' ? <Spinner label="Exporting…" /> : 'Export JSON'}
        </button>
      </div>
      <div className="chips" data-testid="events-kinds">
        {EVENT_KINDS.map((k) => (
          <button
            key={k}
            className={kinds.includes(k) ? `chip on kind-${k}` : `chip kind-${k}`}
            onClick={() => toggleKind(k)}
            aria-pressed={kinds.includes(k)}
            data-testid={`events-kind-${k}`}
          >
            {k}
          </button>
        ))}
        <span className="spacer" />
        <span className="muted small" data-testid="events-count">
          {log.total === null ? '' : `${log.total.toLocaleString()} ${filtered ? 'matching' : 'events'}`}
          {log.paused && ' · paused'}
        </span>
      </div>
      {exportNote && (
        <Note kind={exportNote.ok ? 'ok' : 'warn'} testId="events-export-note">
          {exportNote.text}
        </Note>
      )}
      <ErrorNote error={log.error} onRetry={log.reload} />
      <div className="split">
        <div className="table grow" role="table" aria-label="Events">
          <div className="thead" role="row" style={{ gridTemplateColumns: COLUMNS }}>
            <span>Time</span>
            <span>Kind</span>
            <span>Level</span>
            <span>Device</span>
            <span>Summary</span>
          </div>
          {log.total === null && !log.error ? (
            <div className="table-loading">
              <Spinner label="Loading events…" />
            </div>
          ) : log.total === 0 ? (
            <Empty title={filtered ? 'No event matches.' : 'No events yet.'} testId="events-empty">
              {filtered ? 'Loosen the filters to see more.' : emptyHint}
            </Empty>
          ) : (
            <div
              className="tbody"
              ref={scrollRef}
              tabIndex={0}
              onKeyDown={onKeyDown}
              aria-label="Events: ↑ and ↓ move through them, Esc closes the detail"
              data-testid="events-table"
            >
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => {
                  const e = log.rows[item.index]
                  if (!e)
                    return (
                      <div key="more" className="tr" style={{ transform: `translateY(${item.start}px)`, height: ROW }}>
                        <Spinner label="Loading older events…" />
                      </div>
                    )
                  return (
                    <div
                      key={e.seq}
                      className={`tr sev-${e.severity}${selected?.seq === e.seq ? ' selected' : ''}`}
                      role="row"
                      aria-selected={selected?.seq === e.seq}
                      onClick={() => setSelected(e)}
                      style={{ transform: `translateY(${item.start}px)`, height: ROW, gridTemplateColumns: COLUMNS }}
                      data-testid="event-row"
                      data-kind={e.kind}
                      data-seq={e.seq}
                    >
                      <span className="mono muted">{clock(e.ts)}</span>
                      <span className={`kind kind-${e.kind}`}>{e.kind}</span>
                      <span className={`sev sev-${e.severity}`}>{e.severity}</span>
                      <span className="mono">
                        {e.serial ? (
                          <a href={href('devices', e.serial)} onClick={(ev) => ev.stopPropagation()}>
                            {e.serial}
                          </a>
                        ) : (
                          ''
                        )}
                      </span>
                      <span className="summary" title={e.summary}>
                        {e.summary}
                        {e.hasSoap && <span className="tag">SOAP</span>}
                      </span>
                    </div>
                  )
                })}
              </div>
            </div>
          )}
        </div>
        {selected && <EventDetail event={selected} onClose={() => setSelected(null)} />}
      </div>
    </div>
  )
}
