import { randomBytes } from 'node:crypto'
import { createReadStream, type ReadStream } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HttpRoute } from '../acs'
import { DigestServer } from '../cwmp'
import type { BenchEvents } from '../events'
import type { Journal } from '../journal'
import type { FileLibrary } from './library'
import type { StoredFile } from './store'
import type { FileFetch, FileFetchProgress } from './types'
import { end } from './http'
import { receiveUpload } from './upload-receiver'

/**
 * Bytes read from disk at a time: four times fs's default. A quarter of the reads, writes and
 * progress checks per file (what the file server does per chunk is most of what it adds to a
 * bare static server), and still a progress event for every whole percent of a file over 25 MiB.
 */
const READ_CHUNK = 256 * 1024

interface Peer {
  remoteAddress: string
  localAddress: string
}

interface Live {
  res: ServerResponse
  stream: ReadStream
}

/**
 * The file server on the CWMP port (an HttpRoute of the ACS):
 *
 * - GET/HEAD /files/NAME: a library file the technician added (not a device's upload);
 * - GET/HEAD /files/TOKEN/NAME: the URL of one Download the ACS sent (a grant: that device, that
 *   file, until its TransferComplete), which also names the device in the fetch log;
 * - PUT/POST /upload/TOKEN: the receiver of one Upload the ACS sent (upload-receiver.ts).
 *
 * Single byte ranges (RFC 9110 §14), HEAD, ETag = the sha256. A file with Digest credentials is
 * served only to a client that answers the challenge with them (the Download RPC carries them).
 */
export class FileServer implements HttpRoute {
  private readonly live = new Map<string, Set<Live>>()
  private readonly digest = new DigestServer({ realm: 'Bench ACS files' })
  /** Upload slots being received right now: one request at a time per slot. */
  readonly receiving = new Set<string>()
  /** Fetch ids: unique in this run (the prefix) and cheap to make. */
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`
  private fetches = 0
  /** Files removed in this run: a fetch that was opening one when it went does not start. */
  private readonly removed = new Set<string>()
  private readonly pendingLogs: { fetch: Omit<FileFetch, 'id'>; countsAsDownload: boolean; then: () => void }[] = []

  constructor(readonly d: { library: FileLibrary; events: BenchEvents; journal: Journal }) {
    d.library.onRemoved = (name, blob) => this.cut(name, blob)
  }

  matches(req: IncomingMessage): boolean {
    const url = req.url ?? ''
    return url.startsWith('/files/') || url.startsWith('/upload/')
  }

  async handle(req: IncomingMessage, res: ServerResponse, peer: Peer): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!
    let parts: string[]
    try {
      parts = path.split('/').slice(1).map(decodeURIComponent)
    } catch {
      return end(res, 400, 'Malformed URL.\n')
    }
    if (parts[0] === 'upload') {
      if (req.method !== 'PUT' && req.method !== 'POST')
        return end(res, 405, 'Upload with PUT or POST.\n', { Allow: 'PUT, POST' })
      if (parts.length !== 2) return end(res, 404, 'No such upload URL.\n')
      return receiveUpload({ ...this.d, receiving: this.receiving }, req, res, parts[1]!, peer)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return end(res, 405, 'Files are fetched with GET or HEAD.\n', { Allow: 'GET, HEAD' })
    const now = Date.now()
    let file: StoredFile | undefined
    let serial: string | null = null
    if (parts.length === 2) {
      // /files/NAME: only files the technician added; a device's uploads are nobody else's.
      const f = this.d.library.files.get(parts[1]!)
      if (f && f.ownerSerial === null) file = f
    } else if (parts.length === 3) {
      // A Download's own URL: the technician sent this device this file, whoever uploaded it
      // (a restore, a clone).
      const grant = this.d.library.files.grant(parts[1]!, now)
      file = grant && grant.name === parts[2] ? this.d.library.files.get(parts[2]!) : undefined
      serial = grant?.serial ?? null
    }
    // Unknown, removed, or another device's upload: all the same 404, which says nothing about which.
    if (!file) return end(res, 404, 'No such file.\n')
    if (file.username && !this.authorized(req, res, file, peer)) return
    return this.serve(req, res, file, serial, peer)
  }

  /** Live fetches now (the UI's progress and the tests). */
  liveFetches(name?: string): number {
    if (name !== undefined) return this.live.get(name)?.size ?? 0
    return [...this.live.values()].reduce((n, s) => n + s.size, 0)
  }

  /** Ends every fetch of a file (it was removed): the client sees the transfer cut off. */
  cut(name: string, blob: string): void {
    this.removed.add(blob)
    for (const l of this.live.get(name) ?? []) {
      l.stream.destroy()
      l.res.destroy()
    }
  }

  private log(fetch: Omit<FileFetch, 'id'>, countsAsDownload: boolean, then: () => void): void {
    this.pendingLogs.push({ fetch, countsAsDownload, then })
    if (this.pendingLogs.length > 1) return
    setImmediate(() => {
      const batch = this.pendingLogs.splice(0)
      try {
        this.d.library.files.logFetches(batch)
      } catch (error) {
        this.d.journal.recordQuietly({
          kind: 'system',
          severity: 'error',
          summary: `The file fetch log could not be written: ${(error as Error).message}`,
        })
      }
      for (const b of batch) b.then()
    })
  }

  private authorized(req: IncomingMessage, res: ServerResponse, file: StoredFile, peer: Peer): boolean {
    const header = req.headers.authorization
    const verdict = this.digest.verify(header, req.method!, { username: file.username, password: file.password })
    if (verdict.ok) return true
    if (header)
      this.d.journal.recordQuietly({
        kind: 'security',
        severity: 'warn',
        summary: `Refused a fetch of ${file.name} from ${peer.remoteAddress}: wrong credentials (${verdict.reason})`,
      })
    end(res, 401, 'This file needs the credentials of its Download.\n', { 'WWW-Authenticate': this.digest.challenge() })
    return false
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    file: StoredFile,
    serial: string | null,
    peer: Peer,
  ): Promise<void> {
    const etag = `"${file.sha256}"`
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': new Date(file.addedAt).toUTCString(),
    }
    // If-Range with another validator: the client's partial copy is of other content, send it all.
    const ifRange = req.headers['if-range']
    const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, file.size)
    if (range === 'unsatisfiable')
      return end(res, 416, 'Range not satisfiable.\n', { 'Content-Range': `bytes */${file.size}` })
    const start = range?.start ?? 0
    const last = range?.end ?? file.size - 1
    const expected = Math.max(0, last - start + 1)
    if (range) headers['Content-Range'] = `bytes ${start}-${last}/${file.size}`
    headers['Content-Length'] = String(expected)
    if (req.method === 'HEAD') {
      res.writeHead(range ? 206 : 200, headers)
      return void res.end()
    }
    // A file removed between the lookup above and here: its fetch is cut off like any other.
    const stream = createReadStream(
      this.d.library.pathOf(file),
      expected > 0 ? { start, end: last, highWaterMark: READ_CHUNK } : { start: 0, end: -1 },
    )
    const live: Live = { res, stream }
    const set = this.live.get(file.name) ?? new Set()
    set.add(live)
    this.live.set(file.name, set)
    res.writeHead(range ? 206 : 200, headers)
    if (this.removed.has(file.blob)) this.cut(file.name, file.blob)

    const startedAt = Date.now()
    let bytes = 0
    let percent = 0
    const progress: Omit<FileFetchProgress, 'bytes' | 'percent' | 'state' | 'durationMs'> = {
      fetchId: `${this.idPrefix}${++this.fetches}`,
      name: file.name,
      serial,
      remoteAddress: peer.remoteAddress,
      expected,
    }
    const emit = (state: FileFetchProgress['state']) =>
      this.d.events.emit('file.fetch', { ...progress, bytes, percent, state, durationMs: Date.now() - startedAt })
    emit('started')
    stream.on('data', (chunk) => {
      bytes += chunk.length
      const now = expected > 0 ? Math.floor((bytes * 100) / expected) : 100
      if (now > percent && now < 100) {
        percent = now
        emit('progress')
      }
    })
    // Ends complete, or cut off by the client or by the file's removal (logged below).
    await new Promise<void>((resolve) => {
      res.once('close', resolve)
      stream.once('error', () => res.destroy())
      stream.pipe(res)
    })
    stream.destroy()
    set.delete(live)
    if (set.size === 0) this.live.delete(file.name)
    const complete = res.writableFinished && bytes === expected
    // What reached the connection: read from disk minus what was still waiting in its buffer.
    if (!complete) bytes = Math.max(0, bytes - res.writableLength)
    else percent = 100
    // Logged with the fetches that end in the same turn, in one transaction; the last event
    // follows the write, so whoever hears it finds the fetch in the log.
    this.log(
      {
        name: file.name,
        serial,
        remoteAddress: peer.remoteAddress,
        method: 'GET',
        range: range ? `bytes=${start}-${last}` : null,
        status: range ? 206 : 200,
        bytes,
        expected,
        startedAt,
        durationMs: Date.now() - startedAt,
        outcome: complete ? 'complete' : 'cut-off',
      },
      complete && last === file.size - 1,
      () => emit(complete ? 'complete' : 'cut-off'),
    )
  }
}

/** One byte range of a file (RFC 9110 §14.1.2); several ranges are answered with the whole file. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return null
  if (m[1] === '') {
    const n = Number(m[2])
    if (n === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { start, end }
}
