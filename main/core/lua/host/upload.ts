import { argSerial, bad, field, optTable } from './args'
import type { HostFunction } from './context'
import { luaError } from './errors'
import { executeRpc, rpcOptions } from './rpc'
import { awaitTransfer, DEFAULT_TRANSFER_WAIT_MS, transferResult } from './transfer-wait'

let keys = 0

/**
 * upload(serial, { type = "config" | "log" | "1 Vendor Configuration File" …, wait = true,
 * timeout_ms, wait_for_device, command_key }) → true, status | true, {file = NAME, …} | false, err.
 *
 * Sends an Upload pointing the device at the ACS's upload receiver (a one-time URL); the file
 * lands in the library under the device ("configuration backup of …"), ready to download back to
 * it or to another device (download(serial, { file = NAME })).
 */
export const upload: HostFunction = {
  name: 'upload',
  example: `local ok, r = upload(DEVICE, { type = "config", wait = true })
if ok then print("backup saved as " .. r.file) end`,
  signature: 'upload(serial, {type = "config", wait = true, …})',
  summary:
    'Has the device upload its configuration (or log) into the file library → true, status; with wait=true → true, {file = NAME}.',
  async call(ctx, args) {
    const fn = 'upload'
    const serial = argSerial(fn, args, 0)
    const p = optTable(fn, args, 1, 'upload parameters table')
    const type = field(fn, p, 'type', 'string', 1) ?? 'config'
    const wait = field(fn, p, 'wait', 'boolean', 1) ?? false
    const options = rpcOptions(fn, p, 1)
    const commandKey = field(fn, p, 'command_key', 'string', 1) ?? `bench-${ctx.runId.slice(-16)}-u${++keys}`
    if (commandKey === '') throw bad(fn, 1, "field 'command_key' must not be empty: it ties the upload to its file")
    if (!ctx.files) return [false, luaError('error', 'this bench has no file library')]
    let request
    try {
      request = ctx.files.uploadRequest(serial, type, commandKey)
    } catch (error) {
      return [false, luaError('file', (error as Error).message)]
    }
    const files = ctx.files
    const waiter = wait
      ? awaitTransfer(ctx, serial, commandKey, options.timeoutMs ?? DEFAULT_TRANSFER_WAIT_MS)
      : undefined
    try {
      const result = await executeRpc(ctx, serial, request, options)
      if (!result.ok) return [false, result.error]
      const { status } = result.response
      if (!waiter) return [true, status]
      if (status === 0) return [true, { file: files.uploadedFile(serial, commandKey)?.name ?? null }]
      return await transferResult(ctx, 'upload', serial, commandKey, waiter.completed, result.response, () => ({
        file: files.uploadedFile(serial, commandKey)?.name ?? null,
      }))
    } finally {
      waiter?.stop()
    }
  },
}
