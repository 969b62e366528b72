import { useCallback, useEffect, useRef, useState } from 'react'
import type { DevicePage, DeviceQuery, DeviceView } from '../../preload/api'
import { bench } from './bench'
import { messageOf, useReconnected } from './hooks'

export const PAGE = 100

/**
 * The device list as the table sees it: a total and the pages it has scrolled to, fetched from
 * SQLite on demand. 10,000 devices never cross the bridge at once.
 */
export function usePagedDevices(query: DeviceQuery) {
  const [total, setTotal] = useState<number | null>(null)
  const [pages, setPagesState] = useState<Map<number, DeviceView[]>>(new Map())
  const pagesRef = useRef(pages)
  const setPages = (
    update: Map<number, DeviceView[]> | ((prev: Map<number, DeviceView[]>) => Map<number, DeviceView[]>),
  ) => {
    pagesRef.current = typeof update === 'function' ? update(pagesRef.current) : update
    setPagesState(pagesRef.current)
  }
  const [error, setError] = useState<string | null>(null)
  const generation = useRef(0)
  const inFlight = useRef(new Set<number>())
  const wantedPages = useRef<number[]>([0])
  const key = JSON.stringify(query)

  const fetchPage = useCallback(
    (page: number, gen: number, replace = false) => {
      if (!replace && inFlight.current.has(page)) return
      inFlight.current.add(page)
      bench.devices.list({ ...query, offset: page * PAGE, limit: PAGE }).then(
        (result: DevicePage) => {
          inFlight.current.delete(page)
          if (gen !== generation.current) return
          setError(null)
          setTotal(result.total)
          setPages((prev) => new Map(prev).set(page, result.rows))
        },
        (e: unknown) => {
          inFlight.current.delete(page)
          if (gen === generation.current) setError(messageOf(e))
        },
      )
    },
    [key],
  )

  // A new filter starts over from the first page.
  useEffect(() => {
    const gen = ++generation.current
    inFlight.current.clear()
    setPages(new Map())
    setTotal(null)
    fetchPage(0, gen)
  }, [fetchPage])

  /** Called by the table with the rows on screen: loads the pages they fall in. */
  const ensure = useCallback(
    (first: number, last: number) => {
      const wanted: number[] = []
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) wanted.push(p)
      wantedPages.current = wanted
      for (const p of wanted) if (!pages.has(p)) fetchPage(p, generation.current)
    },
    [pages, fetchPage],
  )

  /** Reloads the count and the pages on screen, keeping the old rows shown until the new arrive. */
  const refresh = useCallback(() => {
    for (const p of wantedPages.current) fetchPage(p, generation.current, true)
    if (wantedPages.current.length === 0) fetchPage(0, generation.current, true)
  }, [fetchPage])

  /** Applies live updates in place; anything that changes membership or order reloads. */
  const applyUpdates = useCallback(
    (devices: DeviceView[]) => {
      // A search or a sort on a changing column may move rows in or out of view: read them again.
      let needsRefresh = Boolean(query.text) || (query.sort !== undefined && query.sort !== 'serial')
      const next = new Map(pagesRef.current)
      const located = new Map<string, [number, number]>()
      for (const [p, rows] of next) rows.forEach((d, i) => located.set(d.serial, [p, i]))
      for (const d of devices) {
        const at = located.get(d.serial)
        if (!at) {
          needsRefresh = true
          continue
        }
        if (query.status !== undefined && d.status !== query.status) needsRefresh = true
        const rows = next.get(at[0])!.slice()
        rows[at[1]] = d
        next.set(at[0], rows)
      }
      pagesRef.current = next
      setPages(next)
      if (needsRefresh) scheduleRefresh()
    },
    [key],
  )

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const refreshRef = useRef(refresh)
  refreshRef.current = refresh
  const scheduleRefresh = () => {
    timer.current ??= setTimeout(() => {
      timer.current = undefined
      refreshRef.current()
    }, 250)
  }
  useEffect(() => () => clearTimeout(timer.current), [])
  // Devices that informed while the connection was down: read the count and the rows again.
  useReconnected(() => refreshRef.current())

  const row = (index: number): DeviceView | undefined => pages.get(Math.floor(index / PAGE))?.[index % PAGE]
  return { total, row, ensure, refresh, applyUpdates, error }
}
