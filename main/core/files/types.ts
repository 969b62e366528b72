import { BenchError } from '../errors'

/** A file of the library, as the UI, the CLI and scripts see it (never its Digest password). */
export interface LibraryFile {
  /** Unique; what the URL, scripts and the CLI call it. Letters, digits and . _ + - only. */
  name: string
  /** TR-069 FileType as a Download carries it ("1 Firmware Upgrade Image", "3 Vendor Configuration File", …). */
  fileType: string
  size: number
  sha256: string
  /** Firmware version ('' unknown): from `files add --version` or the image header. */
  version: string
  /** The product class (DeviceId.ProductClass) the image is for; '' for any. */
  productClass: string
  description: string
  /**
   * The device it was uploaded from (a configuration backup, a log), or null for a file the
   * technician added. A device's uploads are served only in Downloads the technician sends.
   */
  ownerSerial: string | null
  /** Digest user the file server asks for ('' none); the password goes only into Download RPCs. */
  username: string
  addedAt: number
  /** Completed fetches of the whole file (a resumed download counts once). */
  downloads: number
}

/** One fetch from the file server: the fetch log. */
export interface FileFetch {
  id: number
  name: string
  /** The device whose Download this was (known from its URL), else null. */
  serial: string | null
  remoteAddress: string
  method: 'GET' | 'HEAD'
  /** "bytes=START-END" as served, or null for the whole file. */
  range: string | null
  status: number
  bytes: number
  /** Bytes the answer promised (Content-Length). */
  expected: number
  startedAt: number
  durationMs: number
  outcome: 'complete' | 'cut-off'
}

/** A live fetch, on the bench event bus ("file.fetch") and the UI's files.progress stream. */
export interface FileFetchProgress {
  /** Per fetch; the same in every event of it. */
  fetchId: string
  name: string
  serial: string | null
  remoteAddress: string
  bytes: number
  expected: number
  /** Whole percent of `expected` sent. */
  percent: number
  state: 'started' | 'progress' | 'complete' | 'cut-off'
  durationMs: number
}

declare module '../events' {
  interface BenchEventMap {
    /** The file server is sending a library file: started, each whole percent, and how it ended. */
    'file.fetch': FileFetchProgress
    /** A file was added to the library (by the technician or a device's upload) or removed from it. */
    'file.changed': { name: string; removed: boolean }
  }
}

/** Short names for the TR-069 FileTypes (Download A.3.2.8; vendor-log is Upload's). */
export const FILE_TYPES: Readonly<Record<string, string>> = {
  firmware: '1 Firmware Upgrade Image',
  web: '2 Web Content',
  config: '3 Vendor Configuration File',
  tone: '4 Tone File',
  ringer: '5 Ringer File',
  'vendor-log': '2 Vendor Log File',
}

/** The Upload FileTypes (TR-069 A.4.1.5) by short name. */
export const UPLOAD_TYPES: Readonly<Record<string, string>> = {
  config: '1 Vendor Configuration File',
  'vendor-log': '2 Vendor Log File',
  log: '2 Vendor Log File',
}

/** A FileType from a short name or as TR-069 writes it ("1 …", or a vendor's "X 00D09E …"). */
export function fileTypeOf(value: string, table: Readonly<Record<string, string>> = FILE_TYPES): string {
  const known = table[value.toLowerCase()]
  if (known) return known
  if (/^\d+ [ -~]{1,60}$/.test(value) || /^X [0-9A-F]{6} [ -~]{1,60}$/.test(value)) return value
  throw new FileInputError(
    `"${value}" is not a file type: use ${Object.keys(table).join(', ')}, or a TR-069 FileType such as "1 Firmware Upgrade Image"`,
  )
}

/** Library file names: safe in a URL path segment and as a file name on any OS. */
export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/

export function checkFileName(name: string): string {
  if (!FILE_NAME.test(name))
    throw new FileInputError(
      `"${name.slice(0, 140)}" cannot be a library file name: use letters, digits and . _ + - (at most 128, starting with a letter or digit)`,
    )
  return name
}

export class FileInputError extends BenchError {
  constructor(message: string) {
    super('input', message)
  }
}

export class FileNotFoundError extends BenchError {
  constructor(name: string) {
    super('not-found', `There is no file "${name}" in the library (bench-acs files list shows them).`)
  }
}
