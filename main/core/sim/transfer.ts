import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { basicHeader, DigestClient, parseAuthParams, type Credentials } from '../cwmp'

/**
 * File transfers as a CPE does them: Download is an HTTP GET, Upload an HTTP PUT, each answering
 * a Basic or Digest challenge with the credentials the ACS gave. Failures map to the TR-069 fault
 * codes a TransferComplete carries.
 */
export interface TransferOutcome {
  faultCode: number
  faultString: string
  startTime: string
  completeTime: string
  /** The body, kept only when asked (configuration files), up to the limit. */
  body?: Buffer
  bytes: number
}

export class TransferError extends Error {
  constructor(
    readonly faultCode: number,
    message: string,
  ) {
    super(message)
  }
}

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  bytes: number
}

const TIMEOUT_MS = 60_000

/** One HTTP exchange; the body is counted, and kept up to keepLimit bytes. */
function exchange(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Buffer | undefined,
  keepLimit: number,
  signal?: AbortSignal,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, {
      method,
      headers: {
        'User-Agent': 'bench-acs-sim',
        ...headers,
        ...(body ? { 'Content-Length': String(body.length) } : {}),
      },
      agent: false,
      signal,
      // A bench file server usually has a self-signed certificate.
      rejectUnauthorized: false,
    })
    let connected = false
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)))
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no data for ${TIMEOUT_MS / 1000} s`)))
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) reject(new TransferError(9017, `the transfer broke off: ${error.code ?? error.message}`))
      else
        reject(new TransferError(9015, `cannot contact the file server at ${url.host}: ${error.code ?? error.message}`))
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      let bytes = 0
      let kept = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (kept < keepLimit) {
          chunks.push(chunk)
          kept += chunk.length
        }
      })
      res.on('error', (error) => reject(new TransferError(9017, `the transfer broke off: ${error.message}`)))
      res.on('close', () => {
        if (!res.complete) reject(new TransferError(9017, 'the server closed the connection mid-transfer'))
      })
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).subarray(0, keepLimit),
          bytes,
        }),
      )
    })
    req.end(body)
  })
}

/** An exchange that answers one 401 challenge (Basic or Digest) when credentials were given. */
async function withAuth(
  method: string,
  url: URL,
  creds: Credentials,
  body: Buffer | undefined,
  keepLimit: number,
  contentType?: string,
  signal?: AbortSignal,
): Promise<Reply> {
  const headers: Record<string, string> = contentType ? { 'Content-Type': contentType } : {}
  // Credentials in the URL itself (http://user:pass@host/) count as given.
  const user = creds.username || decodeURIComponent(url.username)
  const pass = creds.password || decodeURIComponent(url.password)
  const target = new URL(url)
  target.username = ''
  target.password = ''
  const first = await exchange(method, target, headers, body, keepLimit, signal)
  if (first.status !== 401 || !user) return first
  const challenge = first.headers['www-authenticate']
  const value = Array.isArray(challenge) ? (challenge.find((c) => /^digest/i.test(c)) ?? challenge[0]) : challenge
  if (!value) return first
  const scheme = parseAuthParams(value).scheme
  const auth =
    scheme === 'digest'
      ? new DigestClient(value, { username: user, password: pass }).authorization(
          method,
          target.pathname + target.search,
        )
      : basicHeader({ username: user, password: pass })
  return exchange(method, target, { ...headers, Authorization: auth }, body, keepLimit, signal)
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z')

export async function download(
  req: { url: string; username: string; password: string; fileSize: number },
  keepLimit: number,
  signal?: AbortSignal,
): Promise<TransferOutcome> {
  const startTime = now()
  try {
    const reply = await withAuth('GET', new URL(req.url), req, undefined, keepLimit, undefined, signal)
    checkStatus(reply.status, 'download')
    if (req.fileSize > 0 && reply.bytes !== req.fileSize)
      throw new TransferError(9018, `expected ${req.fileSize} bytes (FileSize), received ${reply.bytes}`)
    return { faultCode: 0, faultString: '', startTime, completeTime: now(), body: reply.body, bytes: reply.bytes }
  } catch (error) {
    return failed(error, startTime)
  }
}

export async function upload(
  req: { url: string; username: string; password: string },
  content: Buffer,
  contentType: string,
  signal?: AbortSignal,
): Promise<TransferOutcome> {
  const startTime = now()
  try {
    const reply = await withAuth('PUT', new URL(req.url), req, content, 0, contentType, signal)
    checkStatus(reply.status, 'upload')
    return { faultCode: 0, faultString: '', startTime, completeTime: now(), bytes: content.length }
  } catch (error) {
    return failed(error, startTime)
  }
}

function checkStatus(status: number, what: 'download' | 'upload'): void {
  if (status >= 200 && status < 300) return
  if (status === 401) throw new TransferError(9012, `the file server refused the credentials (HTTP 401)`)
  if (what === 'download' && (status === 403 || status === 404 || status === 410))
    throw new TransferError(9016, `the file server answered HTTP ${status}`)
  throw new TransferError(what === 'download' ? 9010 : 9011, `the file server answered HTTP ${status}`)
}

function failed(error: unknown, startTime: string): TransferOutcome {
  const e = error instanceof TransferError ? error : new TransferError(9010, String((error as Error)?.message ?? error))
  return { faultCode: e.faultCode, faultString: e.message, startTime, completeTime: now(), bytes: 0 }
}
