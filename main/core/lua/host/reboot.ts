import { argSerial, field, optTable } from './args'
import type { HostFunction } from './context'
import { executeRpc, rpcOptions } from './rpc'

/**
 * reboot(serial [, options]) → true | false, err. True once the device accepted the Reboot; it
 * reboots after the session and informs "1 BOOT" and "M Reboot" (listen_to_cwmp_event("1", serial)
 * waits for that). options: { command_key = …, timeout_ms, wait_for_device }.
 */
export const reboot: HostFunction = {
  name: 'reboot',
  example: `assert(reboot(DEVICE))
local e = listen_to_cwmp_event("1", DEVICE, 300000)  -- back within 5 minutes
print(e and "back up" or "did not come back")`,
  signature: 'reboot(serial [, options])',
  summary: 'Asks the device to reboot → true, or false, err; it comes back with "1 BOOT" + "M Reboot".',
  async call(ctx, args) {
    const fn = 'reboot'
    const serial = argSerial(fn, args, 0)
    const opts = optTable(fn, args, 1)
    const commandKey = field(fn, opts, 'command_key', 'string', 1) ?? ''
    const result = await executeRpc(ctx, serial, { method: 'Reboot', commandKey }, rpcOptions(fn, opts, 1))
    return result.ok ? [true] : [false, result.error]
  },
}
