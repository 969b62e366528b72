import type { Bench } from '../core/bench'
import { errorMessage } from '../core/errors'

/** Whether this build's Bench has a service (scripts and sim land in their own time). */
export function hasService(bench: Bench, name: 'acs' | 'scripts' | 'sim' | 'sync'): boolean {
  return Boolean((bench as unknown as Record<string, unknown>)[name])
}

/**
 * Starts the CWMP listener. A port in use is not fatal: the app still opens, and Settings shows
 * the error and lets the technician pick another port.
 */
export async function startAcs(
  bench: Bench,
  log: (level: 'info' | 'warn' | 'error', m: string) => void,
): Promise<string | null> {
  try {
    await bench.acs.listen()
    return null
  } catch (error) {
    const message = errorMessage(error)
    log('warn', `The ACS listener could not start: ${message}`)
    return message
  }
}
