import { BenchError } from '../core/errors'

/**
 * Errors the API raises itself when it checks a call's arguments; the core's own user-facing
 * errors are BenchErrors too, and the API maps every one by its kind (main/api/index.ts).
 */
export class BadRequestError extends BenchError {
  constructor(message: string) {
    super('input', message)
  }
}

export class UnavailableError extends BenchError {
  constructor(message: string) {
    super('unavailable', message)
  }
}

export class NotFoundError extends BenchError {
  constructor(message: string) {
    super('not-found', message)
  }
}

/** The reply's error name for each kind: what preload/client.ts hands the renderer. */
export const REPLY_NAMES = {
  input: 'BadRequestError',
  'not-found': 'NotFoundError',
  unavailable: 'UnavailableError',
} as const
