import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * HTTP Basic and Digest (RFC 7616, MD5, qop="auth") for both directions of CWMP:
 * the ACS authenticating CPEs, CPEs (and the simulator) authenticating connection requests,
 * and the client side of each.
 */

export type AuthMode = 'none' | 'basic' | 'digest'

export interface Credentials {
  username: string
  password: string
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex')

/** Parses `Digest a="b", c=d` (or any auth-param list) into a map with lower-case keys. */
export function parseAuthParams(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\S+)\s*(.*)$/s.exec(header)
  if (!m) return { scheme: '', params: {} }
  const params: Record<string, string> = {}
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/g
  let p: RegExpExecArray | null
  while ((p = re.exec(m[2]!)) !== null) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '')
  }
  return { scheme: m[1]!.toLowerCase(), params }
}

export function basicHeader(c: Credentials): string {
  return 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64')
}

export function checkBasic(header: string | undefined, expected: Credentials): boolean {
  if (!header || !/^basic\s/i.test(header)) return false
  const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return false
  return safeEqual(decoded.slice(0, colon), expected.username) && safeEqual(decoded.slice(colon + 1), expected.password)
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a)
  const bb = Buffer.from(b)
  return ba.length === bb.length && timingSafeEqual(ba, bb)
}

export interface DigestChallengeOptions {
  realm: string
  /** How long a nonce may be used, ms. */
  nonceTtlMs?: number
  /** Upper bound on outstanding nonces (oldest are forgotten first). */
  maxNonces?: number
}

export type DigestVerdict =
  | { ok: true; username: string }
  | {
      ok: false
      reason: 'missing' | 'malformed' | 'unknown-nonce' | 'stale' | 'replay' | 'bad-response' | 'wrong-user'
    }

/**
 * Server side of Digest: issues fresh nonces and verifies responses, refusing replays
 * (each nonce's nc must increase) and expired nonces (answered with stale=true).
 */
export class DigestServer {
  private readonly nonces = new Map<string, { issued: number; nc: number }>()
  private readonly ttl: number
  private readonly max: number

  constructor(private readonly options: DigestChallengeOptions) {
    this.ttl = options.nonceTtlMs ?? 5 * 60_000
    this.max = options.maxNonces ?? 10_000
  }

  /** A WWW-Authenticate header value with a fresh nonce. */
  challenge(stale = false, now = Date.now()): string {
    const nonce = randomBytes(16).toString('hex')
    this.nonces.set(nonce, { issued: now, nc: 0 })
    if (this.nonces.size > this.max) {
      const oldest = this.nonces.keys().next().value
      if (oldest !== undefined) this.nonces.delete(oldest)
    }
    return `Digest realm="${this.options.realm}", qop="auth", nonce="${nonce}", opaque="${md5(this.options.realm)}", algorithm=MD5${stale ? ', stale=true' : ''}`
  }

  verify(header: string | undefined, method: string, expected: Credentials, now = Date.now()): DigestVerdict {
    if (!header) return { ok: false, reason: 'missing' }
    const { scheme, params } = parseAuthParams(header)
    if (scheme !== 'digest') return { ok: false, reason: 'malformed' }
    const { username, realm, nonce, uri, response, qop, nc, cnonce } = params
    if (!username || !nonce || !uri || !response || realm !== this.options.realm)
      return { ok: false, reason: 'malformed' }
    if (username !== expected.username) return { ok: false, reason: 'wrong-user' }
    const state = this.nonces.get(nonce)
    if (!state) return { ok: false, reason: 'unknown-nonce' }
    if (now - state.issued > this.ttl) {
      this.nonces.delete(nonce)
      return { ok: false, reason: 'stale' }
    }
    const ha1 = md5(`${username}:${realm}:${expected.password}`)
    const ha2 = md5(`${method}:${uri}`)
    let expectedResponse: string
    if (qop) {
      if (qop !== 'auth' || !nc || !cnonce) return { ok: false, reason: 'malformed' }
      const count = parseInt(nc, 16)
      if (!Number.isFinite(count) || count <= state.nc) return { ok: false, reason: 'replay' }
      expectedResponse = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
      if (!safeEqual(expectedResponse, response.toLowerCase())) return { ok: false, reason: 'bad-response' }
      state.nc = count
    } else {
      // RFC 2069 compatibility (no qop): some old CPE stacks only do this. One use per nonce.
      expectedResponse = md5(`${ha1}:${nonce}:${ha2}`)
      if (!safeEqual(expectedResponse, response.toLowerCase())) return { ok: false, reason: 'bad-response' }
      this.nonces.delete(nonce)
    }
    return { ok: true, username }
  }
}

/**
 * Client side of Digest: builds an Authorization header answering a WWW-Authenticate challenge.
 * Keeps the nonce count so the same challenge can be answered again.
 */
export class DigestClient {
  private nc = 0
  private readonly params: Record<string, string>

  constructor(
    challengeHeader: string,
    private readonly credentials: Credentials,
  ) {
    const parsed = parseAuthParams(challengeHeader)
    if (parsed.scheme !== 'digest') throw new Error(`expected a Digest challenge, got "${parsed.scheme}"`)
    this.params = parsed.params
    const algorithm = (this.params.algorithm ?? 'MD5').toUpperCase()
    if (algorithm !== 'MD5') throw new Error(`unsupported Digest algorithm ${algorithm}`)
  }

  authorization(method: string, uri: string): string {
    const { realm = '', nonce = '', opaque, qop } = this.params
    const { username, password } = this.credentials
    const ha1 = md5(`${username}:${realm}:${password}`)
    const ha2 = md5(`${method}:${uri}`)
    const qops = (qop ?? '').split(',').map((s) => s.trim())
    let header = `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5`
    if (qops.includes('auth')) {
      const nc = (++this.nc).toString(16).padStart(8, '0')
      const cnonce = randomBytes(8).toString('hex')
      header += `, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`
    } else {
      header += `, response="${md5(`${ha1}:${nonce}:${ha2}`)}"`
    }
    if (opaque !== undefined) header += `, opaque="${opaque}"`
    return header
  }
}
