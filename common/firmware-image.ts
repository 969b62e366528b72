/**
 * The header of a Bench ACS test firmware image: one ASCII line at the very start of the file,
 *
 *   BENCH-ACS-IMAGE/1 version=2.0.1 product-class=BM632w\n
 *
 * then any payload. A simulated CPE reads it to learn which SoftwareVersion it runs after the
 * upgrade (and refuses an image for another product class, as real CPEs do); the file library
 * reads it to fill in a file's version. Anything without the header is "firmware of unknown
 * version". Pure code: the core, the simulator and the renderer share it (docs/simulator.md).
 */
export const IMAGE_MAGIC = 'BENCH-ACS-IMAGE/1'

/** The header line is never longer than this (bytes, newline included): read this much. */
export const IMAGE_HEADER_MAX = 256

/** Versions and product classes in a header: what firmware versions look like, nothing that needs quoting. */
export const IMAGE_FIELD = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/

export interface ImageInfo {
  version: string
  /** Empty: the image claims no product class (any CPE takes it). */
  productClass: string
}

/** The header line for an image; throws when a field could not be read back. */
export function imageHeader(info: ImageInfo): string {
  if (!IMAGE_FIELD.test(info.version))
    throw new Error(`version "${info.version}": use letters, digits and . _ + - (at most 64)`)
  if (info.productClass !== '' && !IMAGE_FIELD.test(info.productClass))
    throw new Error(`product class "${info.productClass}": use letters, digits and . _ + - (at most 64)`)
  return `${IMAGE_MAGIC} version=${info.version}${info.productClass ? ` product-class=${info.productClass}` : ''}\n`
}

/** The header of an image from its first bytes, or null when it has none (or a malformed one). */
export function readImageHeader(start: Uint8Array): ImageInfo | null {
  const head = start.subarray(0, IMAGE_HEADER_MAX)
  const end = head.indexOf(0x0a)
  if (end < 0) return null
  let line = ''
  for (let i = 0; i < end; i++) {
    const c = head[i]!
    if (c < 0x20 || c > 0x7e) return null
    line += String.fromCharCode(c)
  }
  const [magic, ...fields] = line.split(' ')
  if (magic !== IMAGE_MAGIC) return null
  const info: ImageInfo = { version: '', productClass: '' }
  for (const f of fields) {
    const eq = f.indexOf('=')
    const key = f.slice(0, eq)
    const value = f.slice(eq + 1)
    if (eq < 0 || !IMAGE_FIELD.test(value)) return null
    if (key === 'version') info.version = value
    else if (key === 'product-class') info.productClass = value
    // Other keys are for later versions of the format: ignored.
  }
  return info.version ? info : null
}
