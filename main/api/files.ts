import type { PickedFile } from '../../preload/api'
import type { Bench } from '../core/bench'
import { isPickedFile, MAX_PICKED_FILE_CHARS, storePickedFile } from '../core/picked-files'
import { BadRequestError } from './errors'
import { nonEmpty, str } from './validate'

export function fileHandlers(bench: Bench) {
  return {
    'files.upload': async ([name, content]: unknown[]): Promise<PickedFile> => {
      const fileName = nonEmpty(name, 'file name', 255)
      const text = str(content, 'file content', MAX_PICKED_FILE_CHARS)
      return { name: fileName, path: storePickedFile(bench.config.dataDir, fileName, text) }
    },
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
