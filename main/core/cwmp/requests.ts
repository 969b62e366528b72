import type { AcsRequest } from './types'

export type DownloadRequest = Extract<AcsRequest, { method: 'Download' }>

/**
 * A Download with what TR-069 lets a caller leave out filled the way an ACS sends it: empty
 * credentials, target name, success/failure URLs and CommandKey, size 0 (unknown), no delay.
 */
export function downloadRequest(
  fields: Pick<DownloadRequest, 'url' | 'fileType'> & Partial<Omit<DownloadRequest, 'method'>>,
): DownloadRequest {
  return {
    method: 'Download',
    commandKey: '',
    username: '',
    password: '',
    fileSize: 0,
    targetFileName: '',
    delaySeconds: 0,
    successUrl: '',
    failureUrl: '',
    ...fields,
  }
}
