/**
 * What a user-facing error is about, so every shell maps it once: the API to its reply kinds, the
 * command line to its exit codes. input: the caller asked for something malformed or impossible
 * (say what to change); not-found: it names something that does not exist; unavailable: it is
 * right, but cannot be done now (a device offline, a service stopped — try again later).
 */
export type ErrorKind = 'input' | 'not-found' | 'unavailable'

/** Base of the core's errors whose message is written for the technician. */
export class BenchError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** The message of anything thrown, for logs and replies. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
