import type { FileFetch, LibraryFile, PickedFile } from '../../preload/api'
import type { Bench } from '../core/bench'
import { BenchError, errorMessage } from '../core/errors'
import { isPickedFile, MAX_PICKED_FILE_CHARS, storePickedFile } from '../core/picked-files'
import { BadRequestError, NotFoundError, UnavailableError } from './errors'
import { nonEmpty, optObj, optStr, str } from './validate'

/** What one API call can carry as base64 (the WebSocket takes 4 MiB per message). */
const MAX_ADD_BASE64 = 4 * 1024 * 1024
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function addOptions(options: unknown) {
  const o = optObj(options, 'options')
  return {
    ...(optStr(o.type, 'type', 100) !== undefined ? { type: o.type as string } : {}),
    ...(optStr(o.version, 'version', 64) !== undefined ? { version: o.version as string } : {}),
    ...(optStr(o.productClass, 'product class', 64) !== undefined ? { productClass: o.productClass as string } : {}),
    ...(optStr(o.description, 'description', 500) !== undefined ? { description: o.description as string } : {}),
  }
}

export function fileHandlers(bench: Bench) {
  const { files } = bench
  const ui = () => ({ source: 'ui', holdSessionMs: bench.config.cwmp.holdSessionMs })
  return {
    'files.upload': async ([name, content]: unknown[]): Promise<PickedFile> => {
      const fileName = nonEmpty(name, 'file name', 255)
      const text = str(content, 'file content', MAX_PICKED_FILE_CHARS)
      return { name: fileName, path: storePickedFile(bench.config.dataDir, fileName, text) }
    },
    'files.list': async (): Promise<LibraryFile[]> => files.library.list(),
    'files.add': async ([name, content, options]: unknown[]): Promise<LibraryFile> => {
      const fileName = nonEmpty(name, 'file name', 128)
      const base64 = str(content, 'file content', MAX_ADD_BASE64)
      if (!BASE64.test(base64)) throw new BadRequestError('file content must be base64')
      const add = addOptions(options)
      return mapped(() => files.library.add({ content: Buffer.from(base64, 'base64'), name: fileName }, add))
    },
    // A file of any size up to files.maxBytes, in pieces (chunked-add.ts): begin, chunks in order, end.
    'files.addBegin': async ([name, size, options]: unknown[]): Promise<{ id: string; maxBytes: number }> => {
      const fileName = nonEmpty(name, 'file name', 128)
      if (typeof size !== 'number') throw new BadRequestError('size must be a number of bytes')
      return { id: files.adds.begin(fileName, size, addOptions(options)), maxBytes: files.library.maxBytes }
    },
    'files.addChunk': async ([id, offset, content]: unknown[]): Promise<{ received: number }> => {
      const addId = nonEmpty(id, 'add id', 64)
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset))
        throw new BadRequestError('offset must be a number of bytes')
      const base64 = str(content, 'chunk', MAX_ADD_BASE64)
      if (!BASE64.test(base64)) throw new BadRequestError('chunk must be base64')
      return files.adds.chunk(addId, offset, Buffer.from(base64, 'base64'))
    },
    'files.addEnd': async ([id]: unknown[]): Promise<LibraryFile> =>
      mapped(() => files.adds.finish(nonEmpty(id, 'add id', 64))),
    'files.addCancel': async ([id]: unknown[]): Promise<void> => files.adds.cancel(nonEmpty(id, 'add id', 64)),
    'files.remove': async ([name]: unknown[]): Promise<LibraryFile> =>
      mapped(async () => files.library.remove(nonEmpty(name, 'file name', 128))),
    'files.fetches': async ([name]: unknown[]): Promise<FileFetch[]> =>
      files.library.fetches(optStr(name, 'file name', 128)),
    'files.download': async ([serial, name]: unknown[]) => {
      const sn = nonEmpty(serial, 'serial', 256)
      if (!bench.store.devices.get(sn)) throw new NotFoundError(`No device with serial ${sn}.`)
      return mapped(() => files.sendDownload(sn, nonEmpty(name, 'file name', 128), ui()))
    },
    'files.backup': async ([serial, type]: unknown[]) => {
      const sn = nonEmpty(serial, 'serial', 256)
      if (!bench.store.devices.get(sn)) throw new NotFoundError(`No device with serial ${sn}.`)
      return mapped(() => files.requestUpload(sn, optStr(type, 'type', 100) ?? 'config', ui()))
    },
  }
}

/**
 * The core's BenchErrors pass as they are (the API maps their kinds once); anything else a transfer
 * raises (the device did not answer…) is reported as not possible now, not as a bug.
 */
async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof BenchError) throw error
    throw new UnavailableError(errorMessage(error))
  }
}

/**
 * A file path from the UI: "" (none), the path already in effect (a form saved back unchanged, or
 * one given on the command line), or a file picked in the app (files.upload). Any other path is
 * refused, so whoever reaches the API cannot make the bench read an arbitrary file.
 */
export function pickedPath(bench: Bench, value: unknown, current: string | undefined, what: string): string {
  const path = str(value ?? '', what, 1024).trim()
  if (path === '' || path === current || isPickedFile(bench.config.dataDir, path)) return path
  throw new BadRequestError(
    `${what}: Bench ACS only reads files chosen with its "Choose file…" button. Choose the file there.`,
  )
}
