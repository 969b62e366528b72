export * from './types'
export { FileLibrary, FileTooLargeError, type AddOptions } from './library'
export { FileServer, parseRange } from './server'
export {
  FileService,
  FilesUnavailableError,
  type FileServiceAcs,
  type FileTransfers,
  type UploadRequest,
} from './service'
export { StoredTransfers } from './transfers'
export { FILE_MIGRATIONS } from './migrations'
export type { StoredFile } from './store'
