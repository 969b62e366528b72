import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { EVENT_KINDS, type EventFilter, type EventKind, type LoggedEvent, type Severity } from '../../preload/api'
import { clock, saveFile } from '../lib/format'
import { bench } from '../lib/bench'
import { useDebounced, messageOf } from '../lib/hooks'
import { useEventLog } from '../lib/events'
import { groupRows, type Entry } from '../lib/event-groups'
import { href } from '../lib/router'
import { EventDetail, type Selection } from './EventDetail'
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
  const [selected, setSelected] = useState<Selection | null>(null)
  // Open session groups, and every row of each (read from the store when opened).
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const [members, setMembers] = useState<ReadonlyMap<string, LoggedEvent[]>>(new Map())
  const entries = useMemo(() => groupRows(log.rows, expanded, members), [log.rows, expanded, members])
  const toggleGroup = (session: string) => {
    const open = !expanded.has(session)
    setExpanded((prev) => {
      const next = new Set(prev)
      if (open) next.add(session)
      else next.delete(session)
      return next
    })
    if (open)
      bench.events.session(session).then(
        (rows) => setMembers((prev) => new Map(prev).set(session, rows)),
        () => {}, // the loaded rows stand in
      )
  }
  const [exporting, setExporting] = useState<string | null>(null)
  const [exportNote, setExportNote] = useState<{ ok: boolean; text: string } | null>(null)

  const scrollRef = useRef<HTMLDivElement>(null)
  const count = entries.length + (log.hasMore ? 1 : 0)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items[items.length - 1]?.index ?? 0
  useEffect(() => {
    if (log.hasMore && lastIndex >= entries.length - 1) log.loadMore()
  }, [lastIndex, log.hasMore, entries.length, log.loadMore])

  // New rows go on top; a reader who scrolled down keeps looking at the same rows.
  useLayoutEffect(() => {
    const el = scrollRef.current
    if (el && el.scrollTop > 0 && log.prepended.count) el.scrollTop += log.prepended.count * ROW
  }, [log.prepended])

  // Wireshark's keys: arrows move through the lines (the detail follows), → and ← open and close a
  // session's group, Escape closes the detail.
  const onKeyDown = (ev: React.KeyboardEvent) => {
    if (ev.key === 'Escape') {
      setSelected(null)
      return
    }
    const at = selected ? entries.findIndex((x) => isSelected(x, selected)) : -1
    const current = entries[at]
    if ((ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') && current?.type === 'row' && current.group) {
      ev.preventDefault()
      if (current.group.expanded !== (ev.key === 'ArrowRight')) toggleGroup(current.group.session)
      return
    }
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return
    ev.preventDefault()
    const next = Math.max(0, Math.min(entries.length - 1, at + (ev.key === 'ArrowDown' ? 1 : -1)))
    const entry = entries[next]
    if (!entry) return
    setSelected(selectionOf(entry))
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
            aria-label="Device serial contains (any case)"
            placeholder="Serial contains…"
            value={serialText}
            onChange={(e) => setSerialText(e.target.value)}
            data-testid="events-serial-filter"
          />
        )}
        <input
          type="search"
          className="search"
          aria-label="Search summaries"
          placeholder="Search summaries…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="events-search"
        />
        <select
          aria-label="Minimum severity"
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
      <div className="chips" role="group" aria-label="Show only these kinds" data-testid="events-kinds">
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
                  const entry = entries[item.index]
                  const style = { transform: `translateY(${item.start}px)`, height: ROW, gridTemplateColumns: COLUMNS }
                  if (!entry)
                    return (
                      <div key="more" className="tr" style={{ transform: `translateY(${item.start}px)`, height: ROW }}>
                        <Spinner label="Loading older events…" />
                      </div>
                    )
                  const isOn = selected !== null && isSelected(entry, selected)
                  if (entry.type === 'message') {
                    const m = entry.message
                    return (
                      <div
                        key={`${entry.parent.seq}.${entry.index}`}
                        className={`tr child${isOn ? ' selected' : ''}`}
                        role="row"
                        aria-selected={isOn}
                        onClick={() => setSelected(selectionOf(entry))}
                        style={style}
                        data-testid="event-message"
                        data-method={m.method}
                      >
                        <span className="mono muted">{clock(m.ts)}</span>
                        <span className="muted small">{m.from === 'cpe' ? 'CPE → ACS' : 'ACS → CPE'}</span>
                        <span />
                        <span />
                        <span className="summary" title={m.summary ?? m.method}>
                          <span className="mono">{m.method}</span>
                          {m.summary && <span className="muted"> · {m.summary}</span>}
                          {(m.ref !== undefined || m.soap) && <span className="tag">SOAP</span>}
                          {m.eventSeq !== undefined && <span className="tag warn">own row</span>}
                        </span>
                      </div>
                    )
                  }
                  const e = entry.event
                  const group = entry.type === 'row' ? entry.group : undefined
                  return (
                    <div
                      key={entry.type === 'member' ? `m${e.seq}` : e.seq}
                      className={`tr sev-${e.severity}${isOn ? ' selected' : ''}${entry.type === 'member' ? ' child' : ''}${group ? ' group' : ''}`}
                      role="row"
                      aria-selected={isOn}
                      aria-expanded={group ? group.expanded : undefined}
                      onClick={() => setSelected(selectionOf(entry))}
                      style={style}
                      data-testid={entry.type === 'member' ? 'event-member' : 'event-row'}
                      data-kind={e.kind}
                      data-seq={e.seq}
                      data-session={group?.session}
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
                        {group && (
                          <button
                            type="button"
                            className="icon toggle"
                            aria-expanded={group.expanded}
                            aria-label={`${group.expanded ? 'Close' : 'Open'} this session's ${group.size} messages`}
                            onClick={(ev) => {
                              ev.stopPropagation()
                              toggleGroup(group.session)
                            }}
                            data-testid="event-group-toggle"
                          >
                            {group.expanded ? '▾' : '▸'}
                          </button>
                        )}
                        {e.summary}
                        {group && (
                          <span className="tag" data-testid="event-group-size">
                            {group.size} {messagesOfRow(e) ? 'messages' : 'rows'}
                          </span>
                        )}
                        {e.hasSoap && <span className="tag">SOAP</span>}
                      </span>
                    </div>
                  )
                })}
              </div>
            </div>
          )}
        </div>
        {selected && <EventDetail selection={selected} onClose={() => setSelected(null)} />}
      </div>
    </div>
  )
}

function selectionOf(entry: Entry): Selection {
  return entry.type === 'message'
    ? { event: entry.parent, message: entry.message, index: entry.index }
    : { event: entry.event }
}

function isSelected(entry: Entry, s: Selection): boolean {
  if (entry.type === 'message') return s.event.seq === entry.parent.seq && s.index === entry.index
  return s.index === undefined && s.event.seq === entry.event.seq
}

function messagesOfRow(e: LoggedEvent): boolean {
  return (e.detail as { grouped?: unknown } | null)?.grouped === true
}
