import { randomBytes } from 'node:crypto'
import type { HttpRoute, RpcExecutor, RpcOptions } from '../acs'
import type { BenchConfig } from '../config'
import { downloadRequest, type DownloadRequest } from '../cwmp/requests'
import type { AcsRequest } from '../cwmp/types'
import { BenchError } from '../errors'
import type { BenchEvents } from '../events'
import { ulid } from '../ids'
import type { Journal } from '../journal'
import type { Store } from '../store'
import { ChunkedAdds } from './chunked-add'
import { FileLibrary } from './library'
import { FileServer } from './server'
import { StoredTransfers } from './transfers'
import { fileTypeOf, UPLOAD_TYPES, type LibraryFile } from './types'

export type UploadRequest = Extract<AcsRequest, { method: 'Upload' }>

/** How long a Download's URL (grant) and an Upload's URL (slot) stay good, ms: a CPE may delay. */
const URL_TTL_MS = 24 * 3_600_000

/** What of the ACS the file service needs: where devices reach it, its port, its RPCs. */
export interface FileServiceAcs extends RpcExecutor {
  addRoute(route: HttpRoute): void
  baseUrlFor(serial: string): string | undefined
}

/** What scripts use (main/core/lua/host/download.ts, upload.ts). */
export interface FileTransfers {
  downloadRequest(serial: string, name: string, commandKey: string): DownloadRequest
  uploadRequest(serial: string, type: string, commandKey: string): UploadRequest
  /** The library file an Upload landed as, once its PUT completed. */
  uploadedFile(serial: string, commandKey: string): LibraryFile | undefined
}

export class FilesUnavailableError extends BenchError {
  constructor(message: string) {
    super('unavailable', message)
  }
}

/**
 * The file library with its server on the ACS's port, and the Downloads and Uploads that use it:
 * a Download gets a URL of its own (a grant) on the interface the device's sessions arrive on,
 * with FileType, FileSize and the file's credentials; an Upload gets a one-time receiver URL.
 */
export class FileService implements FileTransfers {
  readonly library: FileLibrary
  readonly server: FileServer
  /** The ACS's transfers in flight (AcsOptions.transfers). */
  readonly transfers: StoredTransfers
  /** Files the UI adds in pieces (chunked-add.ts). */
  readonly adds: ChunkedAdds
  private acs: FileServiceAcs | undefined
  private readonly off: () => void

  constructor(d: { config: BenchConfig; store: Store; events: BenchEvents; journal: Journal }) {
    this.library = new FileLibrary({
      dataDir: d.config.dataDir,
      store: d.store,
      events: d.events,
      maxBytes: () => d.config.files.maxBytes,
    })
    this.server = new FileServer({ library: this.library, events: d.events, journal: d.journal })
    this.adds = new ChunkedAdds(this.library)
    this.library.removeStaleIncoming()
    this.transfers = new StoredTransfers(d.store.db)
    // The transfer is over: its Download URL stops working (an Upload's slot says what landed).
    this.off = d.events.on('transfer.completed', ({ serial, commandKey }) => {
      try {
        this.library.files.transferDone(serial, commandKey)
      } catch {
        // The store may be closing; the grant expires anyway.
      }
    })
  }

  /** Serves the library on the ACS's port and sends Downloads/Uploads through it. */
  attach(acs: FileServiceAcs): void {
    this.acs = acs
    acs.addRoute(this.server)
  }

  downloadRequest(serial: string, name: string, commandKey: string): DownloadRequest {
    const file = this.library.require(name)
    const token = randomBytes(18).toString('base64url')
    const base = this.base(serial)
    this.library.files.addGrant({ token, name, serial, commandKey, expiresAt: Date.now() + URL_TTL_MS }, Date.now())
    return downloadRequest({
      commandKey,
      fileType: file.fileType,
      url: `${base}files/${token}/${encodeURIComponent(name)}`,
      username: file.username,
      password: file.password,
      fileSize: file.size,
      targetFileName: name,
    })
  }

  uploadRequest(serial: string, type: string, commandKey: string): UploadRequest {
    const fileType = fileTypeOf(type, UPLOAD_TYPES)
    const base = this.base(serial)
    const token = randomBytes(18).toString('base64url')
    this.library.files.addSlot({ token, serial, commandKey, fileType, expiresAt: Date.now() + URL_TTL_MS }, Date.now())
    return {
      method: 'Upload',
      commandKey,
      fileType,
      url: `${base}upload/${token}`,
      username: '',
      password: '',
      delaySeconds: 0,
    }
  }

  uploadedFile(serial: string, commandKey: string): LibraryFile | undefined {
    const name = this.library.files.slotOf(serial, commandKey)?.fileName
    return name ? this.library.get(name) : undefined
  }

  /** Sends a library file to a device (the UI); resolves with the CPE's DownloadResponse status. */
  async sendDownload(
    serial: string,
    name: string,
    options: RpcOptions = {},
  ): Promise<{ commandKey: string; status: number }> {
    const acs = this.requireAcs()
    // CommandKey is string(32) (TR-069 Annex A): a ULID (26) behind a short prefix.
    const commandKey = `dl-${ulid()}`
    const response = await acs.execute(serial, this.downloadRequest(serial, name, commandKey), options)
    return { commandKey, status: response.status }
  }

  /** Asks a device to upload its configuration (or log) into the library (the UI). */
  async requestUpload(
    serial: string,
    type: string,
    options: RpcOptions = {},
  ): Promise<{ commandKey: string; status: number }> {
    const acs = this.requireAcs()
    const commandKey = `ul-${ulid()}`
    const response = await acs.execute(serial, this.uploadRequest(serial, type, commandKey), options)
    return { commandKey, status: response.status }
  }

  close(): void {
    this.off()
    void this.adds.close()
  }

  private requireAcs(): FileServiceAcs {
    if (!this.acs) throw new FilesUnavailableError('The ACS is not running here, so it cannot send files to devices.')
    return this.acs
  }

  private base(serial: string): string {
    const base = this.requireAcs().baseUrlFor(serial)
    if (!base)
      throw new FilesUnavailableError(
        'The ACS is not listening, so devices cannot fetch files from it: start it first.',
      )
    return base
  }
}
