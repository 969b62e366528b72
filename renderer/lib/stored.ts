import { useEffect, useState } from 'react'

/**
 * State kept in the browser's localStorage under `bench.<key>`: it outlives the component (another
 * script opened, the page reloaded). A value that cannot be read back (old shape, storage off)
 * falls back to `initial`; `valid` says which stored values are acceptable.
 */
export function useStoredState<T>(key: string, initial: T, valid: (v: unknown) => v is T) {
  const [value, setValue] = useState<T>(() => readStored(key, initial, valid))
  useEffect(() => writeStored(key, value), [key, value])
  return [value, setValue] as const
}

export function readStored<T>(key: string, initial: T, valid: (v: unknown) => v is T): T {
  try {
    const raw = localStorage.getItem(`bench.${key}`)
    if (raw === null) return initial
    const parsed: unknown = JSON.parse(raw)
    return valid(parsed) ? parsed : initial
  } catch {
    return initial
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    localStorage.setItem(`bench.${key}`, JSON.stringify(value))
  } catch {
    // Storage full or off: the value simply is not remembered.
  }
}
