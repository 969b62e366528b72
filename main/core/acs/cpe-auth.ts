import { checkBasic, DigestServer, parseAuthParams, type AuthMode } from '../cwmp/auth'
import type { CwmpConfig } from '../config'

export type AuthResult =
  /** `serial`: the credentials are that device's own (cwmp.auth.devices), not the bench-wide ones. */
  | { ok: true; username: string; serial?: string }
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
    const config = this.config()
    const { mode, realm } = config
    if (mode === 'none') return { ok: true, username: '' }
    const attempted = Boolean(header && header.trim())
    const claimed = attempted ? claimedUser(header!) : undefined
    // A username that belongs to a device is checked against that device's password only.
    const own = config.devices?.find((d) => d.username === claimed)
    const { username, password } = own ?? config
    const serial = own ? { serial: own.serial } : {}
    if (mode === 'basic') {
      if (checkBasic(header, { username, password })) return { ok: true, username, ...serial }
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
    if (verdict.ok) return { ok: true, username: verdict.username, ...serial }
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

  /**
   * Whether credentials that authenticated as `authSerial` (undefined: the bench-wide ones) may act
   * for `serial`: a device's own credentials only for that device, and a device that has its own
   * only with them.
   */
  vouches(authSerial: string | undefined, serial: string): boolean {
    if (this.config().mode === 'none') return true
    if (authSerial !== undefined) return authSerial === serial
    return !this.config().devices?.some((d) => d.serial === serial)
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
