import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventFilter, LoggedEvent, Severity } from '../../preload/api'
import { bench } from './bench'
import { messageOf, useReconnected, useStream } from './hooks'

const SEVERITY_RANK: Record<Severity, number> = { debug: 0, info: 1, warn: 2, error: 3 }
const PAGE = 200
/** Rows kept in memory while tailing; older ones are read back from SQLite on scroll. */
const KEEP = 20_000

/** The same test the store applies, so live events land only where a fresh query would put them. */
export function matches(e: LoggedEvent, f: EventFilter): boolean {
  if (f.serial && !e.serial?.toLowerCase().includes(f.serial.toLowerCase())) return false
  if (f.kinds?.length && !f.kinds.includes(e.kind)) return false
  if (f.severity && SEVERITY_RANK[e.severity] < SEVERITY_RANK[f.severity]) return false
  if (f.text && !e.summary.toLowerCase().includes(f.text.toLowerCase())) return false
  return true
}

/**
 * A live, filtered window on the event log: newest first, older pages read from SQLite as the
 * user scrolls, new events prepended as they arrive unless paused (then only counted).
 */
export function useEventLog(filter: EventFilter) {
  const [rows, setRows] = useState<LoggedEvent[]>([])
  const [total, setTotal] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [paused, setPaused] = useState(false)
  const [missed, setMissed] = useState(0)
  const [loadingMore, setLoadingMore] = useState(false)
  const generation = useRef(0)
  const rowsRef = useRef(rows)
  rowsRef.current = rows
  const key = JSON.stringify(filter)

  const reload = useCallback(() => {
    const gen = ++generation.current
    setMissed(0)
    bench.events.page({ ...filter, limit: PAGE }).then(
      (page) => {
        if (gen !== generation.current) return
        setRows(page.rows)
        setTotal(page.total)
        setError(null)
      },
      (e: unknown) => gen === generation.current && setError(messageOf(e)),
    )
  }, [key])

  useEffect(() => {
    setRows([])
    setTotal(null)
    reload()
  }, [reload])

  const hasMore = total !== null && rows.length < total
  const loadMore = useCallback(() => {
    if (loadingMore || !hasMore) return
    const last = rowsRef.current[rowsRef.current.length - 1]
    if (!last) return
    const gen = generation.current
    setLoadingMore(true)
    bench.events.page({ ...filter, beforeSeq: last.seq, limit: PAGE }).then(
      (page) => {
        setLoadingMore(false)
        if (gen !== generation.current) return
        setRows((prev) => [...prev, ...page.rows.filter((r) => r.seq < (prev[prev.length - 1]?.seq ?? Infinity))])
      },
      (e: unknown) => {
        setLoadingMore(false)
        setError(messageOf(e))
      },
    )
  }, [key, loadingMore, hasMore])

  const pausedRef = useRef(paused)
  pausedRef.current = paused
  /** Number of rows prepended by the last live batch (the list keeps the reader's place with it). */
  const [prepended, setPrepended] = useState({ count: 0, at: 0 })
  useStream('events.logged', (batch) => {
    const fresh = batch.filter((e) => matches(e, filter))
    if (fresh.length === 0 || total === null) return
    setTotal((t) => (t ?? 0) + fresh.length)
    if (pausedRef.current) {
      setMissed((m) => m + fresh.length)
      return
    }
    const top = rowsRef.current[0]?.seq ?? 0
    const newer = fresh.filter((e) => e.seq > top).reverse()
    if (newer.length === 0) return
    setRows((prev) => [...newer, ...prev].slice(0, KEEP))
    setPrepended({ count: newer.length, at: Date.now() })
  })

  // A routine session's one row changes as the session goes on (its RPCs, its end): in place.
  useStream('events.updated', (batch) => {
    const changed = new Map(batch.map((e) => [e.seq, e]))
    if (!rowsRef.current.some((r) => changed.has(r.seq))) return
    setRows((prev) => prev.map((r) => changed.get(r.seq) ?? r))
  })

  // Events logged while the connection was down never came over the stream: read the log again
  // (when paused, once the reader resumes).
  const stale = useRef(false)
  useReconnected(() => {
    if (pausedRef.current) stale.current = true
    else reload()
  })

  const resume = useCallback(() => {
    setPaused(false)
    if (missed > 0 || stale.current) reload()
    stale.current = false
  }, [missed, reload])

  return {
    rows,
    total,
    error,
    hasMore,
    loadMore,
    loadingMore,
    paused,
    pause: () => setPaused(true),
    resume,
    missed,
    reload,
    prepended,
  }
}
