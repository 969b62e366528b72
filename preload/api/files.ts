// The file library, the fetch log, files picked in the UI.
import type { FileFetch, FileFetchProgress, LibraryFile } from '../../main/core/files/types'

export type { FileFetch, FileFetchProgress, LibraryFile }

export interface LibraryAddOptions {
  /** firmware (default), config, web, tone, ringer, vendor-log, or a TR-069 FileType. */
  type?: string
  version?: string
  productClass?: string
  description?: string
}

/** A file the technician picked in the UI, as the core stored it (see main/core/picked-files.ts). */
export interface PickedFile {
  /** The name it had where it was picked. */
  name: string
  /** Where the bench keeps its copy: what file settings take. */
  path: string
}

export interface FileCalls {
  /**
   * Keeps a copy of a file the technician chose (its text content) and returns the path to give
   * to settings: file settings take no other path than these, "" or the one in effect.
   */
  upload(name: string, content: string): Promise<PickedFile>
  /** The file library (firmware, configurations, device uploads), newest first. */
  list(): Promise<LibraryFile[]>
  /**
   * Adds a small file to the library from its content (base64: the browser gives bytes, not
   * paths). A call carries at most 4 MiB, so about 3 MB of file; any size up to files.maxBytes
   * goes through addBegin / addChunk / addEnd.
   */
  add(name: string, contentBase64: string, options?: LibraryAddOptions): Promise<LibraryFile>
  /** Starts adding a file of `size` bytes in pieces: checks name, type and the size cap first. */
  addBegin(name: string, size: number, options?: LibraryAddOptions): Promise<{ id: string; maxBytes: number }>
  /** The next piece (base64, at most ~3 MB of bytes) at byte `offset`; pieces come in order. */
  addChunk(id: string, offset: number, contentBase64: string): Promise<{ received: number }>
  /** All bytes came: the file takes its name in the library (atomically). */
  addEnd(id: string): Promise<LibraryFile>
  /** Stops an add; what it received is deleted. An add idle for 2 minutes is cancelled by itself. */
  addCancel(id: string): Promise<void>
  /** Removes a library file; fetches under way are cut off. */
  remove(name: string): Promise<LibraryFile>
  /** The fetch log (all files, or one), newest first. */
  fetches(name?: string): Promise<FileFetch[]>
  /** Sends a library file to a device (Download RPC); resolves once the device accepted it. */
  download(serial: string, name: string): Promise<{ commandKey: string; status: number }>
  /** Has a device upload its configuration ("config") or log ("log") into the library. */
  backup(serial: string, type?: string): Promise<{ commandKey: string; status: number }>
}
