import type { BenchEventMap } from '../../events'
import { argSerial, argTable, bad, field } from './args'
import type { HostFunction } from './context'
import { luaError } from './errors'
import { executeRpc, rpcOptions } from './rpc'

/** TR-069 FileType values, and short names for the common ones. */
const FILE_TYPES: Record<string, string> = {
  firmware: '1 Firmware Upgrade Image',
  web: '2 Web Content',
  config: '3 Vendor Configuration File',
  tone: '4 Tone File',
  ringer: '5 Ringer File',
}

/** How long wait = true waits for TransferComplete by default, ms. */
const DEFAULT_TRANSFER_WAIT_MS = 10 * 60_000

let keys = 0

/**
 * download(serial, { url = …, file_type = "firmware" | "config" | "1 Firmware Upgrade Image" …,
 * username, password, file_size, target_file_name, delay_seconds, success_url, failure_url,
 * command_key, wait = true, timeout_ms, wait_for_device }) → true, status | false, err.
 *
 * status 0: the device downloaded and applied the file already; 1: it will report with
 * TransferComplete. With wait = true the call waits for that TransferComplete (up to timeout_ms,
 * default 10 min) and returns true, {start_time, complete_time}, or false, err carrying the
 * transfer's fault code (e.g. 9010 download failure).
 */
export const download: HostFunction = {
  name: 'download',
  example: `local ok, result = download(DEVICE, { url = "http://192.168.1.10/fw.bin", file_type = "firmware", wait = true })
print(ok and "firmware installed" or ("failed: " .. result.message))`,
  signature: 'download(serial, {url = …, file_type = "firmware", wait = true, …})',
  summary:
    'Tells the device to download a file (firmware, config …) → true, status; with wait=true waits for TransferComplete.',
  async call(ctx, args) {
    const fn = 'download'
    const serial = argSerial(fn, args, 0)
    const p = argTable(fn, args, 1, 'download parameters table')
    const url = field(fn, p, 'url', 'string', 1)
    if (!url) throw bad(fn, 1, "field 'url' is required")
    const rawType = field(fn, p, 'file_type', 'string', 1) ?? 'firmware'
    const fileType = FILE_TYPES[rawType.toLowerCase()] ?? rawType
    const wait = field(fn, p, 'wait', 'boolean', 1) ?? false
    const options = rpcOptions(fn, p, 1)
    // CommandKey is string(32) (TR-069 Annex A; the ACS refuses longer ones, see acs.execute): the
    // run id's random tail keeps ours unique and short.
    const commandKey =
      field(fn, p, 'command_key', 'string', 1) ?? (wait ? `bench-${ctx.runId.slice(-16)}-${++keys}` : '')
    const num = (name: string) => {
      const v = field(fn, p, name, 'number', 1) ?? 0
      if (!Number.isInteger(v) || v < 0) throw bad(fn, 1, `field '${name}' must be a whole number ≥ 0`)
      return v
    }

    // Listen before sending: a fast CPE can report TransferComplete in the very next session.
    let completed: Promise<BenchEventMap['transfer.completed'] | null> | undefined
    let stopListening = () => {}
    if (wait) {
      completed = new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), options.timeoutMs ?? DEFAULT_TRANSFER_WAIT_MS)
        const onAbort = () => resolve(null)
        ctx.signal.addEventListener('abort', onAbort, { once: true })
        const off = ctx.events.on('transfer.completed', (e) => {
          if (e.serial === serial && e.commandKey === commandKey) resolve(e)
        })
        stopListening = () => {
          clearTimeout(timer)
          ctx.signal.removeEventListener('abort', onAbort)
          off()
        }
      })
    }
    try {
      const result = await executeRpc(
        ctx,
        serial,
        {
          method: 'Download',
          commandKey,
          fileType,
          url,
          username: field(fn, p, 'username', 'string', 1) ?? '',
          password: field(fn, p, 'password', 'string', 1) ?? '',
          fileSize: num('file_size'),
          targetFileName: field(fn, p, 'target_file_name', 'string', 1) ?? '',
          delaySeconds: num('delay_seconds'),
          successUrl: field(fn, p, 'success_url', 'string', 1) ?? '',
          failureUrl: field(fn, p, 'failure_url', 'string', 1) ?? '',
        },
        options,
      )
      if (!result.ok) return [false, result.error]
      const { status, startTime, completeTime } = result.response
      if (!completed || status === 0) return [true, status]
      ctx.setWaiting('rpc')
      const done = await completed
      ctx.setWaiting(null)
      if (!done)
        return [
          false,
          luaError('timeout', `no TransferComplete from ${serial} for command key "${commandKey}" in time`),
        ]
      if (done.fault.code !== 0)
        return [
          false,
          luaError(
            'fault',
            `the download failed: fault ${done.fault.code}${done.fault.message ? ` (${done.fault.message})` : ''}`,
            {
              code: done.fault.code,
              fault_string: done.fault.message,
            },
          ),
        ]
      return [true, { start_time: done.startTime || startTime, complete_time: done.completeTime || completeTime }]
    } finally {
      stopListening()
    }
  },
}
