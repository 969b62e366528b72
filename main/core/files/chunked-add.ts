import { randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { errorMessage } from '../errors'
import type { AddOptions, FileLibrary } from './library'
import { checkFileName, FileInputError, fileTypeOf, type LibraryFile } from './types'

/** An add that stops receiving chunks for this long is cancelled (the page was closed, say). */
export const CHUNKED_IDLE_MS = 2 * 60_000
/** Adds open at once: each holds a temporary file and a stream. */
export const MAX_OPEN_ADDS = 4

interface OpenAdd {
  name: string
  size: number
  received: number
  stream: PassThrough
  /** The library's add, reading the stream; settles once the file is in the library or gone. */
  done: Promise<LibraryFile>
  failure: Error | undefined
  timer: NodeJS.Timeout
}

/**
 * A library file added in pieces (the UI, whose WebSocket messages are a few MB at most): begin
 * with the name and size, chunks in order, then finish. The bytes stream into the library's
 * temporary file as they come (hashed, counted, capped at the declared size and files.maxBytes);
 * the file gets its name only on finish, in one rename and one row. A cancelled, failed or
 * abandoned add leaves nothing behind.
 */
export class ChunkedAdds {
  private readonly open = new Map<string, OpenAdd>()

  constructor(
    private readonly library: FileLibrary,
    private readonly idleMs = CHUNKED_IDLE_MS,
  ) {}

  /** Checks what it can before any byte (name, type, size against the cap); returns the add's id. */
  begin(rawName: string, size: number, o: AddOptions = {}): string {
    const name = checkFileName(rawName)
    if (!Number.isSafeInteger(size) || size < 0) throw new FileInputError('size must be a number of bytes')
    this.library.checkSize(size)
    fileTypeOf(o.type ?? 'firmware')
    if (this.library.files.get(name) || [...this.open.values()].some((a) => a.name === name))
      throw new FileInputError(
        `There is already a file "${name}" in the library (or being added): remove it first, or add this one under another name.`,
      )
    if (this.open.size >= MAX_OPEN_ADDS)
      throw new FileInputError(`${MAX_OPEN_ADDS} files are being added already: wait for one to finish.`)
    const id = randomBytes(12).toString('hex')
    const stream = new PassThrough()
    const add: OpenAdd = {
      name,
      size,
      received: 0,
      stream,
      done: this.library.add({ stream, name, size }, o),
      failure: undefined,
      timer: this.idle(id),
    }
    add.done.catch((error: unknown) => {
      add.failure = error instanceof Error ? error : new Error(errorMessage(error))
      // Failed before reading the stream (or while): a chunk waiting for room wakes up.
      stream.destroy()
    })
    this.open.set(id, add)
    return id
  }

  /** Appends the bytes at `offset` (chunks come in order); resolves once they are written. */
  async chunk(id: string, offset: number, data: Buffer): Promise<{ received: number }> {
    const add = this.require(id)
    if (offset !== add.received)
      throw new FileInputError(`chunk at byte ${offset}, but ${add.received} bytes came so far: send them in order`)
    if (add.received + data.length > add.size) {
      await this.cancel(id)
      throw new FileInputError(
        `more bytes than the ${add.size} declared (${add.received + data.length} so far): nothing was added`,
      )
    }
    clearTimeout(add.timer)
    add.timer = this.idle(id)
    add.received += data.length
    if (!add.stream.write(data)) await this.drained(add)
    if (add.failure) return this.failed(id, add)
    return { received: add.received }
  }

  /** Once every declared byte came: the file takes its name in the library. */
  async finish(id: string): Promise<LibraryFile> {
    const add = this.require(id)
    if (add.received !== add.size) {
      await this.cancel(id)
      throw new FileInputError(`${add.received} of the ${add.size} declared bytes came: nothing was added`)
    }
    clearTimeout(add.timer)
    add.stream.end()
    try {
      return await add.done
    } finally {
      this.open.delete(id)
    }
  }

  /** Ends an add; resolves once its temporary file is gone. Unknown ids are already gone. */
  async cancel(id: string): Promise<void> {
    const add = this.open.get(id)
    if (!add) return
    this.open.delete(id)
    clearTimeout(add.timer)
    add.stream.destroy(new FileInputError('the add was cancelled'))
    await add.done.catch(() => {})
  }

  /** Adds in progress (the tests, and close). */
  get size(): number {
    return this.open.size
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.cancel(id)))
  }

  private require(id: string): OpenAdd {
    const add = typeof id === 'string' ? this.open.get(id) : undefined
    if (!add) throw new FileInputError('this add is over (finished, cancelled, or idle too long): add the file again')
    return add
  }

  private idle(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => void this.cancel(id), this.idleMs)
    timer.unref()
    return timer
  }

  private drained(add: OpenAdd): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        add.stream.off('drain', done)
        add.stream.off('close', done)
        resolve()
      }
      add.stream.on('drain', done)
      add.stream.on('close', done)
    })
  }

  private async failed(id: string, add: OpenAdd): Promise<never> {
    this.open.delete(id)
    clearTimeout(add.timer)
    throw add.failure!
  }
}
