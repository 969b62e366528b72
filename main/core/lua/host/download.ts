import { downloadRequest, type DownloadRequest } from '../../cwmp/requests'
import { FILE_TYPES } from '../../files/types'
import { argSerial, argTable, bad, field } from './args'
import type { HostFunction } from './context'
import { luaError } from './errors'
import { executeRpc, rpcOptions } from './rpc'
import { awaitTransfer, DEFAULT_TRANSFER_WAIT_MS, transferResult } from './transfer-wait'

let keys = 0

/**
 * download(serial, { file = "NAME" | url = …, file_type = "firmware" | "config" | "1 Firmware
 * Upgrade Image" …, username, password, file_size, target_file_name, delay_seconds, success_url,
 * failure_url, command_key, wait = true, timeout_ms, wait_for_device }) → true, status | false, err.
 *
 * `file` names a file of the library (bench-acs files list): URL (on the interface the device's
 * sessions arrive on), FileType, FileSize and credentials come from it. status 0: the device
 * downloaded and applied the file already; 1: it will report with TransferComplete. With wait =
 * true the call waits for that TransferComplete (up to timeout_ms, default 10 min) and returns
 * true, {start_time, complete_time}, or false, err carrying the transfer's fault code (e.g. 9010).
 */
export const download: HostFunction = {
  name: 'download',
  example: `local ok, result = download(DEVICE, { file = "fw-2.0.1.bin", wait = true })
print(ok and "firmware installed" or ("failed: " .. result.message))`,
  signature: 'download(serial, {file = "NAME" | url = …, file_type = "firmware", wait = true, …})',
  summary:
    'Tells the device to download a library file or a URL (firmware, config …) → true, status; with wait=true waits for TransferComplete.',
  async call(ctx, args) {
    const fn = 'download'
    const serial = argSerial(fn, args, 0)
    const p = argTable(fn, args, 1, 'download parameters table')
    const file = field(fn, p, 'file', 'string', 1)
    const url = field(fn, p, 'url', 'string', 1)
    if (!url && !file) throw bad(fn, 1, "field 'file' (a library file) or 'url' is required")
    if (url && file) throw bad(fn, 1, "give either field 'file' or 'url', not both")
    const wait = field(fn, p, 'wait', 'boolean', 1) ?? false
    const options = rpcOptions(fn, p, 1)
    // CommandKey is string(32) (TR-069 Annex A; the ACS refuses longer ones, see acs.execute): the
    // run id's random tail keeps ours unique and short. A library file's URL is tied to its
    // transfer's CommandKey, so it needs one too.
    const commandKey =
      field(fn, p, 'command_key', 'string', 1) ?? (wait || file ? `bench-${ctx.runId.slice(-16)}-${++keys}` : '')
    const num = (name: string) => {
      const v = field(fn, p, name, 'number', 1)
      if (v !== undefined && (!Number.isInteger(v) || v < 0))
        throw bad(fn, 1, `field '${name}' must be a whole number ≥ 0`)
      return v
    }
    const str = (name: string) => field(fn, p, name, 'string', 1)
    const rawType = str('file_type')
    let request: DownloadRequest
    if (file) {
      if (!ctx.files) return [false, luaError('error', 'this bench has no file library')]
      try {
        request = ctx.files.downloadRequest(serial, file, commandKey)
      } catch (error) {
        return [false, luaError('file', (error as Error).message)]
      }
    } else request = downloadRequest({ url: url!, fileType: '' })
    const fileType = rawType === undefined ? undefined : (FILE_TYPES[rawType.toLowerCase()] ?? rawType)
    // What the call gives wins over the library's: a script may rename the target or delay it.
    const given = {
      commandKey,
      fileType: fileType ?? (file ? request.fileType : FILE_TYPES.firmware!),
      username: str('username'),
      password: str('password'),
      fileSize: num('file_size'),
      targetFileName: str('target_file_name'),
      delaySeconds: num('delay_seconds'),
      successUrl: str('success_url'),
      failureUrl: str('failure_url'),
    }
    for (const [k, v] of Object.entries(given))
      if (v !== undefined) (request as unknown as Record<string, unknown>)[k] = v

    const waiter = wait
      ? awaitTransfer(ctx, serial, commandKey, options.timeoutMs ?? DEFAULT_TRANSFER_WAIT_MS)
      : undefined
    try {
      const result = await executeRpc(ctx, serial, request, options)
      if (!result.ok) return [false, result.error]
      const { status } = result.response
      if (!waiter || status === 0) return [true, status]
      return await transferResult(ctx, 'download', serial, commandKey, waiter.completed, result.response)
    } finally {
      waiter?.stop()
    }
  },
}
