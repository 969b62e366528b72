import { useCallback, useEffect, useRef, useState } from 'react'
import type { BenchStreams, StreamName } from '../../preload/api'
import { bench } from './bench'

/** Subscribes to a stream for the component's lifetime; the latest handler is always called. */
export function useStream<S extends StreamName>(stream: S, handler: (batch: BenchStreams[S]) => void): void {
  const ref = useRef(handler)
  ref.current = handler
  useEffect(() => bench.on(stream, (batch) => ref.current(batch)), [stream])
}

export interface Loaded<T> {
  data: T | undefined
  error: string | null
  loading: boolean
  reload: () => void
}

/**
 * Runs `fn` each time the connection to the server comes back after it was lost (never on the
 * first connection): live streams missed what happened meanwhile, so views read it again.
 */
export function useReconnected(fn: () => void): void {
  const ref = useRef(fn)
  ref.current = fn
  useEffect(() => {
    const listener = () => ref.current()
    reconnectListeners.add(listener)
    return () => void reconnectListeners.delete(listener)
  }, [])
}

const reconnectListeners = new Set<() => void>()
let everOpen = false
let lost = false
bench.onConnection((state) => {
  if (state === 'reconnecting') {
    lost = everOpen
    return
  }
  everOpen = true
  if (!lost) return
  lost = false
  for (const listener of [...reconnectListeners]) listener()
})

/**
 * Loads once per change of deps; reload() loads again. Errors become a message to show in place.
 * After a lost connection comes back it loads again if it had failed, or always with `live` (data
 * kept current by a stream, which missed what happened while the connection was down).
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], options: { live?: boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  })
  const [tick, setTick] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true }))
    loadRef.current().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((s) => ({ ...s, error: messageOf(error), loading: false })),
    )
    return () => {
      live = false
    }
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  const failed = useRef(false)
  failed.current = state.error !== null
  useReconnected(() => {
    if (options.live || failed.current) reload()
  })
  return { ...state, reload }
}

/** Re-renders every `ms` (for "12 s ago" labels). */
export function useNow(ms = 5000): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(id)
  }, [ms])
  return now
}

/** Value that follows `value` after it has been still for `ms`. */
export function useDebounced<T>(value: T, ms = 200): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms)
    return () => clearTimeout(id)
  }, [value, ms])
  return v
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
