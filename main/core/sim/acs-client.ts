import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { basicHeader, DigestClient, parseAuthParams, type Credentials } from '../cwmp'

export class AcsHttpError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when no response came (connection refused, reset, timeout). */
    readonly status: number,
  ) {
    super(message)
    this.name = 'AcsHttpError'
  }
}

const MAX_BODY = 16 * 1024 * 1024
const MAX_REDIRECTS = 5

/**
 * The CPE side of one CWMP session's HTTP: its own keep-alive connection (as a real CPE has; an
 * ACS may match sessions by connection), the session's cookies, and Basic or Digest answers to
 * the ACS's challenge, sent with every later request of the session.
 */
export class AcsConnection {
  private url: URL
  private readonly agent: HttpAgent
  private readonly cookies = new Map<string, string>()
  private authorize: ((method: string, uri: string) => string) | undefined
  private redirects = 0

  constructor(
    url: string,
    private readonly credentials: () => Credentials,
    /** false: a new TCP connection per message, as some CPEs do; the cookie then carries the session. */
    private readonly keepAlive = true,
    private readonly timeoutMs = 30_000,
  ) {
    this.url = new URL(url)
    this.agent =
      this.url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive, maxSockets: 1, rejectUnauthorized: false })
        : new HttpAgent({ keepAlive, maxSockets: 1 })
  }

  get target(): string {
    return this.url.href
  }

  /** POSTs an envelope (null: an empty POST). Resolves with the ACS's envelope, or null for an empty reply. */
  async post(xml: string | null): Promise<Buffer | null> {
    for (let attempt = 0; ; attempt++) {
      const reply = await this.send(xml)
      if (reply.status === 401 && attempt < 2) {
        const challenge = reply.header
        if (!challenge) throw new AcsHttpError('the ACS answered 401 without a WWW-Authenticate challenge', 401)
        const stale = /stale\s*=\s*"?true/i.test(challenge)
        if (this.authorize && !stale)
          throw new AcsHttpError(
            `the ACS refused the credentials of user "${this.credentials().username}" (HTTP 401)`,
            401,
          )
        this.authorize = this.answer(challenge)
        continue
      }
      if ([301, 302, 303, 307, 308].includes(reply.status) && reply.location && this.redirects < MAX_REDIRECTS) {
        // TR-069 3.4.5: a redirect moves the whole session to the new URL.
        this.redirects++
        this.url = new URL(reply.location, this.url)
        continue
      }
      if (reply.status === 204 || (reply.status === 200 && reply.body.length === 0)) return null
      if (reply.status === 200) return reply.body
      // SOAP 1.1 (section 6.2) carries a fault in an HTTP 500 answer: the session reads it as the
      // ACS's answer (a refused Inform or TransferComplete), not as a broken exchange.
      if (reply.status === 500 && reply.body.length > 0 && /xml/i.test(reply.contentType ?? '')) return reply.body
      throw new AcsHttpError(
        `the ACS answered HTTP ${reply.status}${reply.status === 401 ? ' (authentication failed)' : ''}`,
        reply.status,
      )
    }
  }

  close(): void {
    this.agent.destroy()
  }

  private answer(challenge: string): (method: string, uri: string) => string {
    const creds = this.credentials()
    const scheme = parseAuthParams(challenge).scheme
    if (scheme === 'digest') {
      const client = new DigestClient(challenge, creds)
      return (method, uri) => client.authorization(method, uri)
    }
    if (scheme === 'basic') {
      const header = basicHeader(creds)
      return () => header
    }
    throw new AcsHttpError(`the ACS asked for unsupported authentication "${scheme}"`, 401)
  }

  private send(
    xml: string | null,
  ): Promise<{ status: number; body: Buffer; header?: string; location?: string; contentType?: string }> {
    const headers: Record<string, string> = {
      'User-Agent': 'bench-acs-sim',
      'Content-Length': xml === null ? '0' : String(Buffer.byteLength(xml)),
    }
    if (!this.keepAlive) headers.Connection = 'close'
    if (xml !== null) {
      headers['Content-Type'] = 'text/xml; charset="utf-8"'
      headers.SOAPAction = ''
    }
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const uri = this.url.pathname + this.url.search
    if (this.authorize) headers.Authorization = this.authorize('POST', uri)
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise((resolve, reject) => {
      const req = send(this.url, { method: 'POST', headers, agent: this.agent })
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)))
      let tooLarge = false
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          tooLarge
            ? new AcsHttpError(`the ACS sent a reply larger than ${MAX_BODY} bytes`, 0)
            : new AcsHttpError(`cannot reach the ACS at ${this.url.origin}: ${error.code ?? error.message}`, 0),
        ),
      )
      req.on('response', (res) => {
        this.keepCookies(res.headers['set-cookie'])
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size <= MAX_BODY) chunks.push(chunk)
          else if (!tooLarge) {
            tooLarge = true
            req.destroy(new Error('reply too large'))
          }
        })
        res.on('end', () => {
          const www = res.headers['www-authenticate']
          const list = Array.isArray(www) ? www : www ? [www] : []
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            header: list.find((h) => /^digest/i.test(h)) ?? list[0],
            location: res.headers.location,
            contentType: res.headers['content-type'],
          })
        })
        res.on('error', (error) =>
          reject(
            tooLarge
              ? new AcsHttpError(`the ACS sent a reply larger than ${MAX_BODY} bytes`, 0)
              : new AcsHttpError(`the ACS connection broke: ${error.message}`, 0),
          ),
        )
      })
      req.end(xml ?? undefined)
    })
  }

  private keepCookies(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.split('=').map((s) => s.trim())
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0
        if (k.toLowerCase() === 'expires') return Date.parse(v) < Date.now()
        return false
      })
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(eq + 1).trim())
    }
  }
}
