import { errorMessage } from '../errors'

/**
 * An error a sink met, in words a technician can act on. Sinks throw it (or return it as a
 * message outcome) so the relay can show `message` and `hint` as they are.
 */
export class SyncTargetError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'SyncTargetError'
  }
}

const KEEP = 'Nothing is lost: rows stay in the outbox and are sent once this is fixed.'

/** Message and hint for any error, known or not. */
export function describeError(error: unknown, targetLabel: string): { message: string; hint: string } {
  if (error instanceof SyncTargetError) return { message: error.message, hint: `${error.hint} ${KEEP}` }
  const message = errorMessage(error)
  return {
    message: `${targetLabel}: ${message || 'unknown error'}`,
    hint: `Check the ${targetLabel} settings and that the server is reachable from this machine. ${KEEP}`,
  }
}

/** Error codes of Node's network stack, with the usual cause. */
export function networkHint(code: string | undefined, what: string): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing listens at ${what}: check that the server is running and the host and port are right.`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name of ${what} does not resolve: check the URL, or this machine's network and DNS (VPN?).`
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${what} cannot be reached from this network: check the cable or Wi-Fi, VPN and firewall.`
    case 'ECONNRESET':
    case 'EPIPE':
      return `${what} closed the connection: the server may have restarted; it is retried automatically.`
    default:
      return undefined
  }
}

/** The code of an error or of the error it wraps (Node puts network codes on the cause). */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code) return code
    e = (e as { cause?: unknown; chainedError?: unknown }).chainedError ?? (e as { cause?: unknown }).cause
  }
  return undefined
}
