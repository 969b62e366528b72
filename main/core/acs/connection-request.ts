import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { basicHeader, DigestClient, parseAuthParams, type Credentials } from '../cwmp/auth'
import { isLocal, plainHost } from './addresses'
import { errorMessage } from '../errors'

export interface ConnectionRequestTarget {
  url: string
  credentials: Credentials
}

export interface ConnectionRequestOptions {
  /** Per attempt, ms. */
  timeoutMs: number
  /** Further attempts after a 503 or a connection error. */
  retries: number
  /** First back-off delay, ms; doubles with each retry (a 503's Retry-After wins when shorter than 30 s). */
  backoffMs?: number
  signal?: AbortSignal
  /**
   * Answer a Basic challenge (the password in clear, readable by anyone on the LAN or any host the
   * URL names). Off unless the technician allowed it for the device: Digest only.
   */
  allowBasic?: boolean
}

export interface ConnectionRequestResult {
  status: number
  attempts: number
  /** "none", "basic" or "digest": what the CPE asked for. */
  auth: 'none' | 'basic' | 'digest'
  durationMs: number
}

/** Why a connection request failed, in words a technician can act on. */
export class ConnectionRequestFailure extends Error {
  constructor(
    readonly reason: string,
    readonly status?: number,
    /** Not sent (or not authenticated) by policy, rather than failed: logged as a security event. */
    readonly refused = false,
  ) {
    super(reason)
    this.name = 'ConnectionRequestFailure'
  }
}

/**
 * TR-069 3.2.2: an HTTP GET to the CPE's ConnectionRequestURL, answered 200/204 once the CPE has
 * authenticated us (Digest, or Basic on older stacks). Retries with back-off on 503 (the CPE is
 * busy or rate-limiting) and on connection errors; a 401 with our credentials is final.
 */
export async function sendConnectionRequest(
  target: ConnectionRequestTarget,
  options: ConnectionRequestOptions,
): Promise<ConnectionRequestResult> {
  const started = Date.now()
  let url: URL
  try {
    url = new URL(target.url)
  } catch {
    throw new ConnectionRequestFailure(
      target.url ? `"${target.url}" is not a valid URL` : 'the device has not reported a ConnectionRequestURL',
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConnectionRequestFailure(`unsupported URL scheme "${url.protocol}" (expected http:)`)

  let backoff = options.backoffMs ?? 500
  let attempts = 0
  let lastFailure: ConnectionRequestFailure | undefined
  for (let round = 0; round <= options.retries; round++) {
    if (round > 0) await delay(backoff, options.signal)
    attempts++
    try {
      const outcome = await authenticatedGet(url, target.credentials, options)
      if (outcome.status === 200 || outcome.status === 204)
        return { status: outcome.status, attempts, auth: outcome.auth, durationMs: Date.now() - started }
      if (outcome.status === 503) {
        lastFailure = new ConnectionRequestFailure('the CPE answered 503 Service Unavailable (busy) every time', 503)
        const retryAfter = Number(outcome.retryAfter)
        backoff = Number.isFinite(retryAfter) && retryAfter > 0 && retryAfter < 30 ? retryAfter * 1000 : backoff * 2
        continue
      }
      throw new ConnectionRequestFailure(statusReason(outcome.status, outcome.auth, target.credentials), outcome.status)
    } catch (error) {
      if (error instanceof ConnectionRequestFailure) throw error
      if (options.signal?.aborted) throw new ConnectionRequestFailure('cancelled')
      lastFailure = networkFailure(error, url, options.timeoutMs)
      backoff *= 2
    }
  }
  throw lastFailure ?? new ConnectionRequestFailure('no attempt was made')
}

function statusReason(status: number, auth: string, credentials: Credentials): string {
  if (status === 401) {
    if (!credentials.username)
      return '401 Unauthorized: the CPE requires credentials and none are known — set the connection request username and password in Settings'
    return `401 Unauthorized: the CPE rejected user "${credentials.username}" (${auth}) — check the connection request username and password on the CPE and in Settings`
  }
  if (status === 403) return '403 Forbidden: the CPE refuses connection requests from this address'
  if (status === 404)
    return '404 Not Found: the ConnectionRequestURL path is wrong (the CPE may have rebooted with a new one)'
  return `unexpected HTTP status ${status}`
}

function networkFailure(error: unknown, url: URL, timeoutMs: number): ConnectionRequestFailure {
  const code = (error as NodeJS.ErrnoException).code
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`
  switch (code) {
    case 'ECONNREFUSED':
      return new ConnectionRequestFailure(
        `connection refused by ${where}: nothing listens there — is the CPE up, and is its connection request port open?`,
      )
    case 'ETIMEDOUT':
      return new ConnectionRequestFailure(`no answer from ${where} within ${Math.round(timeoutMs / 100) / 10} s`)
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectionRequestFailure(
        `${where} is unreachable from this machine: check the bench LAN and the CPE's IP address`,
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionRequestFailure(`host name ${url.hostname} cannot be resolved`)
    case 'ECONNRESET':
      return new ConnectionRequestFailure(`${where} closed the connection without answering`)
    default:
      return new ConnectionRequestFailure(`${where}: ${errorMessage(error)}`)
  }
}

interface GetOutcome {
  status: number
  auth: 'none' | 'basic' | 'digest'
  retryAfter?: string
}

/** One GET, and a second one answering the CPE's 401 challenge if it sends one. */
async function authenticatedGet(
  url: URL,
  credentials: Credentials,
  options: ConnectionRequestOptions,
): Promise<GetOutcome> {
  const first = await get(url, undefined, options)
  if (first.status !== 401) return { status: first.status, auth: 'none', retryAfter: first.retryAfter }
  const challenge = pickChallenge(first.challenges)
  if (!challenge || !credentials.username) return { status: 401, auth: challenge?.scheme ?? 'none' }
  if (challenge.scheme === 'basic' && !options.allowBasic)
    throw new ConnectionRequestFailure(
      'the CPE asks for Basic authentication only, which would send the connection request password in clear: not answered — allow Basic on the Trust tab of the device page if it has no Digest',
      401,
      true,
    )
  const path = url.pathname + url.search
  const authorization =
    challenge.scheme === 'digest'
      ? new DigestClient(challenge.header, credentials).authorization('GET', path)
      : basicHeader(credentials)
  const second = await get(url, authorization, options)
  return { status: second.status, auth: challenge.scheme, retryAfter: second.retryAfter }
}

function pickChallenge(headers: string[]): { scheme: 'digest' | 'basic'; header: string } | undefined {
  const digest = headers.find((h) => parseAuthParams(h).scheme === 'digest')
  if (digest) {
    const algorithm = (parseAuthParams(digest).params.algorithm ?? 'MD5').toUpperCase()
    if (algorithm === 'MD5') return { scheme: 'digest', header: digest }
  }
  const basic = headers.find((h) => parseAuthParams(h).scheme === 'basic')
  return basic ? { scheme: 'basic', header: basic } : undefined
}

function get(
  url: URL,
  authorization: string | undefined,
  options: ConnectionRequestOptions,
): Promise<{ status: number; challenges: string[]; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, {
      method: 'GET',
      headers: authorization ? { Authorization: authorization } : {},
      // A fresh connection per attempt: CPE connection-request servers are minimal.
      agent: false,
      // Bench CPEs use self-signed certificates when they use HTTPS at all.
      rejectUnauthorized: false,
      signal: options.signal,
    })
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))
    }, options.timeoutMs)
    req.on('response', (res: IncomingMessage) => {
      const raw = res.headers['www-authenticate']
      res.resume()
      res.on('end', () => clearTimeout(timer))
      res.on('error', () => clearTimeout(timer))
      resolve({
        status: res.statusCode ?? 0,
        challenges: splitChallenges(raw),
        retryAfter: res.headers['retry-after'],
      })
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    req.end()
  })
}

/** Node joins repeated WWW-Authenticate headers with ", "; split them again at each scheme. */
function splitChallenges(raw: string | string[] | undefined): string[] {
  if (!raw) return []
  const joined = Array.isArray(raw) ? raw.join(', ') : raw
  return joined.split(/,\s*(?=(?:Digest|Basic)\s)/i).map((s) => s.trim())
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ConnectionRequestFailure('cancelled'))
    // The signal is the ACS's, shared by every connection request for its whole life: a listener
    // left behind by each back-off would pile up for as long as the app runs.
    const onAbort = () => {
      clearTimeout(timer)
      reject(new ConnectionRequestFailure('cancelled'))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Why a ConnectionRequestURL reported by the CPE is not one the ACS will GET, or undefined when it
 * is. A CPE chooses its URL; without this, any host on the LAN that informs once could make the
 * ACS request any host, port and path (SSRF) with the credentials it sends. Allowed: the form
 * TR-069 gives (3.2.2, ManagementServer.ConnectionRequestURL: "http://host:port/path") on the
 * address the device's own sessions come from (`sessionAddress`), or a local address when its
 * sessions come from this machine (a simulated CPE) — or exactly the URL the technician confirmed.
 */
export function crUrlRefusal(
  raw: string,
  policy: { sessionAddress?: string; confirmedCrUrl?: string },
): string | undefined {
  if (!raw || (policy.confirmedCrUrl !== undefined && raw === policy.confirmedCrUrl)) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    // sendConnectionRequest names the problem.
    return undefined
  }
  const confirm = 'confirm the URL on the Trust tab of the device page if it is right'
  if (url.username || url.password) return `the ConnectionRequestURL carries credentials; ${confirm}`
  // Query strings and fragments are refused rather than stripped: what a CPE would do with the
  // rest of its URL is unknown, and no TR-069 URL needs them.
  if (url.search || url.hash)
    return `the ConnectionRequestURL has a query string, which TR-069's http://host:port/path form has not; ${confirm}`
  const host = plainHost(url.hostname)
  const from = policy.sessionAddress && plainHost(policy.sessionAddress)
  if (!from)
    return `no session from this device has been seen since it was known; it is woken after its next Inform, or ${confirm}`
  if (!isIP(host))
    return `the ConnectionRequestURL names host "${host}", not the address ${from} the device's sessions come from; ${confirm}`
  if (host === from || (isLocal(from) && isLocal(host))) return undefined
  return `the ConnectionRequestURL points at ${host}, not at ${from} where the device's sessions come from; ${confirm}`
}
