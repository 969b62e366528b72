import type { IncomingMessage } from 'node:http'
import type { Transform } from 'node:stream'
import { createGunzip, createInflate, createInflateRaw } from 'node:zlib'
import type { BodyTicket } from './admission'

export type BodyErrorKind = 'too-large' | 'encoding' | 'corrupt' | 'content-type' | 'aborted' | 'stalled' | 'busy'

/** A request body that cannot be taken; `status` is the HTTP answer. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413 | 415 | 503,
    readonly kind: BodyErrorKind,
    message: string,
  ) {
    super(message)
    this.name = 'BodyError'
  }
}

const ENCODINGS = new Set(['', 'identity', 'gzip', 'x-gzip', 'deflate'])

/**
 * Rejects media types that are plainly not XML. CPE stacks send text/xml, application/xml,
 * application/soap+xml, text/plain or nothing at all, so only the rest is refused.
 */
export function checkContentType(header: string | undefined): void {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === '' || type.includes('xml') || type === 'text/plain') return
  throw new BodyError(415, 'content-type', `Content-Type "${type}" is not XML: CWMP messages are text/xml`)
}

/** The charset a body is decoded with: UTF-8 unless the header names a Latin-1 family one. */
export function charsetOf(header: string | undefined): BufferEncoding {
  const m = /charset\s*=\s*"?([^";\s]+)/i.exec(header ?? '')
  const cs = (m?.[1] ?? '').toLowerCase()
  return cs === 'iso-8859-1' || cs === 'latin1' || cs === 'us-ascii' || cs === 'ascii' ? 'latin1' : 'utf8'
}

export interface ReadBodyOptions {
  maxBytes: number
  /** A body must keep arriving: no byte for this long fails it (408). */
  idleMs: number
  /** Its share of the buffered bytes of all requests: past it the read fails (503). */
  ticket?: BodyTicket
}

/**
 * Reads a request body, inflating gzip/deflate on the fly, and stops as soon as either the bytes
 * on the wire or the inflated bytes pass `maxBytes` — a small gzip bomb is never inflated past
 * the cap — or the body stalls, or all bodies together would hold more than the budget allows.
 * The caller decides what to do with the rest of an oversized request (see discardBody).
 */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes, idleMs, ticket } = options
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  if (!ENCODINGS.has(encoding))
    return Promise.reject(
      new BodyError(415, 'encoding', `Content-Encoding "${encoding}" is not supported (use gzip, deflate or none)`),
    )
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(declared, maxBytes, 'declared'))

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let wire = 0
    let size = 0
    let done = false
    let inflater: Transform | undefined

    // A stalled upload holds its bytes and a socket; a CPE's message arrives in one go.
    const idle = setTimeout(
      () => finish(new BodyError(408, 'stalled', `no part of the body arrived for ${idleMs} ms`)),
      idleMs,
    )
    idle.unref?.()

    const finish = (error: Error | null) => {
      if (done) return
      done = true
      clearTimeout(idle)
      req.off('data', onWire)
      req.off('end', onWireEnd)
      req.off('error', onWireError)
      req.off('aborted', onAborted)
      if (inflater) {
        inflater.removeAllListeners()
        // A late zlib error after destroy must not become an unhandled 'error' event.
        inflater.on('error', () => {})
        inflater.destroy()
      }
      if (error) reject(error)
      else resolve(Buffer.concat(chunks, size))
    }

    const collect = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) return finish(tooLarge(size, maxBytes, inflater ? 'inflated' : 'received'))
      if (ticket && !ticket.reserve(chunk.length))
        return finish(
          new BodyError(503, 'busy', 'the ACS holds as many request bodies as it takes at once; retry shortly'),
        )
      chunks.push(chunk)
    }

    const onWire = (chunk: Buffer) => {
      idle.refresh()
      wire += chunk.length
      if (wire > maxBytes) return finish(tooLarge(wire, maxBytes, 'received'))
      if (encoding === 'deflate' && !inflater)
        inflater = startInflater(zlibWrapped(chunk) ? createInflate() : createInflateRaw())
      else if ((encoding === 'gzip' || encoding === 'x-gzip') && !inflater) inflater = startInflater(createGunzip())
      if (inflater) inflater.write(chunk)
      else collect(chunk)
    }
    // No inflater at the end means no bytes came: an empty POST, whatever the declared encoding.
    const onWireEnd = () => (inflater ? inflater.end() : finish(null))
    const onWireError = (error: Error) => finish(new BodyError(400, 'aborted', `request aborted: ${error.message}`))
    const onAborted = () => finish(new BodyError(400, 'aborted', 'request aborted by the client'))

    const startInflater = (z: Transform): Transform => {
      z.on('data', (chunk: Buffer) => {
        if (!done) collect(chunk)
      })
      z.on('end', () => finish(null))
      z.on('error', (error: Error) =>
        finish(new BodyError(400, 'corrupt', `body is not valid ${encoding} data: ${error.message}`)),
      )
      return z
    }

    req.on('data', onWire)
    req.on('end', onWireEnd)
    req.on('error', onWireError)
    req.on('aborted', onAborted)
  })
}

/** RFC 1950 header check: real "deflate" bodies are zlib-wrapped, some clients send raw deflate. */
function zlibWrapped(first: Buffer): boolean {
  if (first.length < 2) return true
  const cmf = first[0]!
  return (cmf & 0x0f) === 8 && ((cmf << 8) | first[1]!) % 31 === 0
}

function tooLarge(size: number, max: number, what: 'declared' | 'received' | 'inflated'): BodyError {
  const label = what === 'declared' ? 'declared Content-Length' : what === 'inflated' ? 'inflated body' : 'body'
  return new BodyError(
    413,
    'too-large',
    `${label} of ${what === 'declared' ? size : `over ${max}`} bytes exceeds the ${max}-byte limit`,
  )
}

/**
 * Reads and drops the rest of a request we are about to refuse, so that the client, which may
 * still be uploading, gets to read our answer. Resolves true once the request ended, false when
 * the client kept sending past `capBytes` or went away (answer it with Connection: close).
 */
export function discardBody(req: IncomingMessage, capBytes: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (req.complete || req.readableEnded) return resolve(true)
    // A client that went away already will send no 'end' (nor 'aborted' again): nothing to wait for.
    if (req.destroyed || req.socket.destroyed) return resolve(false)
    let seen = 0
    const done = (drained: boolean) => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('aborted', onGone)
      req.off('error', onGone)
      req.off('close', onGone)
      if (!drained) req.pause()
      resolve(drained)
    }
    const onData = (chunk: Buffer) => {
      seen += chunk.length
      if (seen > capBytes) done(false)
    }
    const onEnd = () => done(true)
    const onGone = () => done(false)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('aborted', onGone)
    req.on('error', onGone)
    req.on('close', onGone)
    req.resume()
  })
}
