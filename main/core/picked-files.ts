import { randomBytes } from 'node:crypto'
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/**
 * Files the technician picked in the UI (a TLS certificate and key, a NATS .creds file, a data
 * model). The UI never names a file on disk: it sends the content of the file the technician
 * chose (a file dialog, in Electron and in the browser alike), and the core keeps a copy in
 * <dataDir>/picked/ and hands back its path. Settings then accept, for a file field, only such a
 * path, the value already in effect, or nothing; so a page that reaches the API cannot make the
 * bench read any other file (docs/security.md).
 */
const FOLDER = 'picked'
const NAME = /^[0-9a-f]{16}-[A-Za-z0-9._-]{1,100}$/
/** PEM files, .creds and data models are text; the largest shipped model is about 100 kB. */
export const MAX_PICKED_FILE_CHARS = 2 * 1024 * 1024

export function pickedFilesDir(dataDir: string): string {
  return resolve(dataDir, FOLDER)
}

/** Stores a picked file's content (owner-only: it may be a private key) and returns its path. */
export function storePickedFile(dataDir: string, name: string, content: string): string {
  const dir = pickedFilesDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  // Keep the extension (models are read by it) and a readable name; nothing that could leave the folder.
  const safe =
    basename(name)
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^\.+/, '')
      .slice(-100) || 'file'
  const path = join(dir, `${randomBytes(8).toString('hex')}-${safe}`)
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' })
  return path
}

/** Whether a path is a file stored by storePickedFile (a regular file, not a link, in that folder). */
export function isPickedFile(dataDir: string, path: string): boolean {
  const full = resolve(path)
  if (dirname(full) !== pickedFilesDir(dataDir) || !NAME.test(basename(full))) return false
  try {
    return lstatSync(full).isFile()
  } catch {
    return false
  }
}
