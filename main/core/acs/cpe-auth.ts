import { checkBasic, DigestServer, parseAuthParams, type AuthMode } from '../cwmp/auth'
import type { CwmpConfig } from '../config'

export type AuthResult =
  | { ok: true; username: string }
  /**
   * `attempted` is false when the CPE simply sent no credentials yet (the normal first round of
   * HTTP authentication); only attempts with credentials count as failures worth logging.
   */
  | { ok: false; challenge: string; attempted: boolean; reason: string; username?: string }

/** How the ACS authenticates CPEs: none, Basic or Digest (qop=auth, MD5, fresh nonces, no replays). */
export class CpeAuthenticator {
  private digest: DigestServer | undefined

  constructor(private readonly config: () => CwmpConfig['auth']) {}

  get mode(): AuthMode {
    return this.config().mode
  }

  check(header: string | undefined, method: string): AuthResult {
    const { mode, username, password, realm } = this.config()
    if (mode === 'none') return { ok: true, username: '' }
    const attempted = Boolean(header && header.trim())
    const claimed = attempted ? claimedUser(header!) : undefined
    if (mode === 'basic') {
      if (checkBasic(header, { username, password })) return { ok: true, username }
      return {
        ok: false,
        challenge: `Basic realm="${realm}"`,
        attempted,
        reason: attempted ? 'wrong Basic credentials' : 'no credentials',
        username: claimed,
      }
    }
    if (!this.digest || this.digestRealm !== realm) {
      this.digest = new DigestServer({ realm })
      this.digestRealm = realm
    }
    const verdict = this.digest.verify(header, method, { username, password })
    if (verdict.ok) return { ok: true, username: verdict.username }
    const stale = verdict.reason === 'stale'
    return {
      ok: false,
      challenge: this.digest.challenge(stale),
      // A stale nonce is routine (the CPE reused an old one): answer with a fresh one, quietly.
      attempted: attempted && !stale,
      reason: REASONS[verdict.reason] ?? verdict.reason,
      username: claimed,
    }
  }

  private digestRealm = ''
}

const REASONS: Record<string, string> = {
  missing: 'no credentials',
  malformed: 'malformed Digest Authorization header',
  'unknown-nonce': 'Digest nonce was never issued here (or has been forgotten)',
  stale: 'Digest nonce expired',
  replay: 'Digest nonce count reused (replayed request)',
  'bad-response': 'wrong Digest password',
  'wrong-user': 'unknown Digest username',
}

function claimedUser(header: string): string | undefined {
  if (/^basic\s/i.test(header)) {
    const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon < 0 ? undefined : decoded.slice(0, colon)
  }
  return parseAuthParams(header).params.username
}
