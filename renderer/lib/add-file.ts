import type { LibraryAddOptions, LibraryFile } from '../../preload/api'
import { bench } from './bench'

/**
 * Bytes per files.addChunk call: a WebSocket message carries at most 4 MiB, and base64 makes 3
 * bytes 4; 1 MiB keeps each call short, so progress moves and a cancel is heard soon.
 */
export const CHUNK_BYTES = 1024 * 1024

export interface AddProgress {
  sent: number
  size: number
}

/**
 * Adds a file of any size (up to files.maxBytes, checked before the first byte) in pieces:
 * addBegin, addChunk in order, addEnd, which gives the file its name in the library at once. A
 * failure or an abort cancels the add, which leaves nothing behind.
 */
export async function addFileInChunks(
  file: Blob & { name: string },
  options: LibraryAddOptions,
  onProgress: (p: AddProgress) => void,
  signal?: AbortSignal,
): Promise<LibraryFile> {
  const { id } = await bench.files.addBegin(file.name, file.size, options)
  try {
    for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
      if (signal?.aborted) throw new Error(`Adding ${file.name} was cancelled; nothing was added.`)
      const piece = file.slice(offset, Math.min(file.size, offset + CHUNK_BYTES))
      const { received } = await bench.files.addChunk(id, offset, await base64Of(piece, file.name))
      onProgress({ sent: received, size: file.size })
    }
    if (signal?.aborted) throw new Error(`Adding ${file.name} was cancelled; nothing was added.`)
    return await bench.files.addEnd(id)
  } catch (error) {
    // The add may be over already (the bench refused a chunk); cancelling it again is harmless.
    await bench.files.addCancel(id).catch(() => {})
    throw error
  }
}

function base64Of(blob: Blob, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(new Error(`Could not read ${name}: ${reader.error?.message ?? 'unknown error'}`))
    reader.readAsDataURL(blob)
  })
}
