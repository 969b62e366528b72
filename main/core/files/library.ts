import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { IMAGE_HEADER_MAX, readImageHeader } from '../../../common/firmware-image'
import type { BenchEvents } from '../events'
import { ulid } from '../ids'
import type { Store } from '../store'
import { FileStore, publicView, type StoredFile } from './store'
import { checkFileName, FileInputError, FileNotFoundError, fileTypeOf, type FileFetch, type LibraryFile } from './types'

export interface AddOptions {
  /** Default: the source file's name. */
  name?: string
  /** A short name (firmware, config, …) or a TR-069 FileType. Default: firmware. */
  type?: string
  /** Default: the image header's, if it has one. */
  version?: string
  /** Default: the image header's, if it has one; '' for any. */
  productClass?: string
  description?: string
  /** Digest credentials the file server asks for (passed in the Download RPC). */
  username?: string
  password?: string
}

/** A temporary file this old is what a crashed add left. */
const STALE_INCOMING_MS = 24 * 3_600_000

/** The bytes did not fit: over the cap, or not what was declared. */
export class FileTooLargeError extends FileInputError {}

/** What an incoming file became on disk, before it has a name in the library. */
export interface Incoming {
  tmp: string
  size: number
  sha256: string
  head: Buffer
}

/**
 * The file library: files in <dataDir>/files/ (written to a temporary name, flushed, then renamed,
 * so a crash never leaves half a file under a library name), described in SQLite. Usable without
 * a running ACS (the CLI); the ACS serves it through FileServer.
 */
export class FileLibrary {
  readonly files: FileStore
  readonly dir: string
  /** Cuts the fetches of a removed file (set by the file server). */
  onRemoved: (name: string, blob: string) => void = () => {}

  constructor(private readonly d: { dataDir: string; store: Store; maxBytes: () => number; events?: BenchEvents }) {
    this.files = new FileStore(d.store.db)
    this.dir = join(d.dataDir, 'files')
  }

  get maxBytes(): number {
    return this.d.maxBytes()
  }

  list(): LibraryFile[] {
    return this.files.list().map(publicView)
  }

  get(name: string): LibraryFile | undefined {
    const f = this.files.get(name)
    return f && publicView(f)
  }

  /** The stored row (with the password), or FileNotFoundError. */
  require(name: string): StoredFile {
    const f = this.files.get(name)
    if (!f) throw new FileNotFoundError(name)
    return f
  }

  pathOf(f: { blob: string }): string {
    return join(this.dir, f.blob)
  }

  fetches(name?: string, limit?: number): FileFetch[] {
    return this.files.fetches(name, limit)
  }

  /**
   * The firmware image of this version for a product class (one made for it before one for any
   * class): what a provisioning step "ensure firmware version V" downloads.
   */
  findFirmware(productClass: string, version: string): LibraryFile | undefined {
    const f = this.files.firmware(productClass, version)[0]
    return f && publicView(f)
  }

  /**
   * Adds a file from disk (the CLI), from memory, or from a stream of a declared size (the UI's
   * API, chunk by chunk: chunked-add.ts). Nothing changes on error.
   */
  async add(
    source: { path: string } | { content: Buffer; name: string } | { stream: Readable; name: string; size: number },
    o: AddOptions = {},
  ): Promise<LibraryFile> {
    const name = checkFileName(o.name ?? ('path' in source ? basename(source.path) : source.name))
    if (this.files.get(name))
      throw new FileInputError(
        `There is already a file "${name}" in the library: remove it first, or add this one under another name (--name).`,
      )
    const fileType = fileTypeOf(o.type ?? 'firmware')
    let declared: number
    let input: Readable
    if ('path' in source) {
      try {
        const st = statSync(source.path)
        if (!st.isFile()) throw new FileInputError(`${source.path} is not a file`)
        declared = st.size
      } catch (error) {
        if (error instanceof FileInputError) throw error
        throw new FileInputError(
          `Cannot read ${source.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        )
      }
      this.checkSize(declared)
      input = createReadStream(source.path)
    } else if ('stream' in source) {
      declared = source.size
      this.checkSize(declared)
      input = source.stream
    } else {
      declared = source.content.length
      this.checkSize(declared)
      input = Readable.from([source.content])
    }
    const incoming = await this.receive(input, declared)
    try {
      if (incoming.size !== declared)
        throw new FileInputError(
          `The file changed while it was read (${declared} bytes, then ${incoming.size}); try again.`,
        )
      const header = fileType === '1 Firmware Upgrade Image' ? readImageHeader(incoming.head) : null
      if (header && o.version && o.version !== header.version)
        throw new FileInputError(
          `The image says it is version ${header.version}, not ${o.version}: leave --version out or fix the image.`,
        )
      if (header?.productClass && o.productClass && o.productClass !== header.productClass)
        throw new FileInputError(`The image says it is for ${header.productClass}, not ${o.productClass}.`)
      return this.adopt(incoming, {
        name,
        fileType,
        version: o.version ?? header?.version ?? '',
        productClass: o.productClass ?? header?.productClass ?? '',
        description: o.description ?? '',
        ownerSerial: null,
        username: o.username ?? '',
        password: o.password ?? '',
      })
    } catch (error) {
      rmSync(incoming.tmp, { force: true })
      throw error
    }
  }

  /**
   * Streams bytes into a temporary file in the library folder, hashing and counting them; more
   * than `limit` bytes fails with FileTooLargeError and leaves nothing behind.
   */
  async receive(input: Readable, limit = this.maxBytes): Promise<Incoming> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const tmp = join(this.dir, `.incoming-${randomBytes(8).toString('hex')}`)
    const hash = createHash('sha256')
    const head: Buffer[] = []
    let size = 0
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length
        if (size > limit) return done(new FileTooLargeError(`more than ${limit} bytes`))
        if (size - chunk.length < IMAGE_HEADER_MAX) head.push(chunk.subarray(0, IMAGE_HEADER_MAX))
        hash.update(chunk)
        done(null, chunk)
      },
    })
    const writer = createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true })
    try {
      await pipeline(input, count, writer)
    } catch (error) {
      // A writer cut off while it was still opening the file creates it afterwards: gone only
      // once the writer has closed.
      if (!writer.closed) await new Promise<void>((resolve) => writer.once('close', () => resolve()))
      rmSync(tmp, { force: true })
      throw error
    }
    return { tmp, size, sha256: hash.digest('hex'), head: Buffer.concat(head).subarray(0, IMAGE_HEADER_MAX) }
  }

  /** Gives a received file its place and name in the library (one row, one rename). */
  adopt(
    incoming: Incoming,
    meta: Omit<StoredFile, 'blob' | 'size' | 'sha256' | 'addedAt' | 'downloads'>,
    /** Runs in the same transaction (an upload claims its one-time URL). */
    also: () => void = () => {},
  ): LibraryFile {
    const blob = ulid()
    const file: StoredFile = {
      ...meta,
      blob,
      size: incoming.size,
      sha256: incoming.sha256,
      addedAt: Date.now(),
      downloads: 0,
    }
    renameSync(incoming.tmp, this.pathOf(file))
    try {
      this.d.store.transaction(() => {
        if (this.files.get(meta.name))
          throw new FileInputError(`There is already a file "${meta.name}" in the library.`)
        this.files.insert(file)
        also()
      })
    } catch (error) {
      rmSync(this.pathOf(file), { force: true })
      throw error
    }
    this.d.events?.emit('file.changed', { name: file.name, removed: false })
    return publicView(file)
  }

  /** Removes a file; fetches of it under way are cut off (the CPE reports the download failed). */
  remove(name: string): LibraryFile {
    const f = this.files.remove(name)
    if (!f) throw new FileNotFoundError(name)
    this.onRemoved(name, f.blob)
    rmSync(this.pathOf(f), { force: true })
    this.d.events?.emit('file.changed', { name, removed: true })
    return publicView(f)
  }

  /**
   * Removes what a crashed add left (temporary files a day old: another process, the CLI, may be
   * adding one right now).
   */
  removeStaleIncoming(now = Date.now()): void {
    let names: string[]
    try {
      names = readdirSync(this.dir)
    } catch {
      return
    }
    for (const n of names) {
      if (!n.startsWith('.incoming-')) continue
      const path = join(this.dir, n)
      try {
        if (now - statSync(path).mtimeMs > STALE_INCOMING_MS) rmSync(path, { force: true })
      } catch {
        // Gone meanwhile.
      }
    }
  }

  /** Refuses a file over the cap (setting files.maxBytes) before any byte of it is read. */
  checkSize(size: number): void {
    if (size > this.maxBytes)
      throw new FileTooLargeError(
        `The file is ${size} bytes; the library takes files up to ${this.maxBytes} bytes (setting files.maxBytes).`,
      )
  }
}
