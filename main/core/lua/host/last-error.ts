import type { HostFunction } from './context'

/**
 * last_error() → why the script's last call of a function that can fail failed (the `err` table:
 * kind, message, and code / fault_string for a CWMP fault; print() shows the message), or nil when
 * that call succeeded. The script API page's three functions return one value only, as the page
 * says, so this is where their reason is; the other functions also return it as `nil, err`.
 */
export const lastError: HostFunction = {
  name: 'last_error',
  example: `if not send_cwmp_message(DEVICE, xml, 1) then
  local err = last_error()
  print("set failed: " .. tostring(err), err.code)
end`,
  signature: 'last_error()',
  summary:
    'Why the last call failed ({kind, message, code, fault_string}; prints as its message), or nil when it succeeded.',
  async call(ctx) {
    return [ctx.lastError.value]
  },
}
