import type { HostFunction } from './context'
import { addObject } from './add-object'
import { deleteObject } from './delete-object'
import { download } from './download'
import { factoryReset } from './factory-reset'
import { getDevice } from './get-device'
import { getParameterNames } from './get-parameter-names'
import { getParameterValues } from './get-parameter-values'
import { lastError } from './last-error'
import { listDevices } from './list-devices'
import { listenToCwmpEvent } from './listen-to-cwmp-event'
import { reboot } from './reboot'
import { sendCwmpMessage } from './send-cwmp-message'
import { setParameterValues } from './set-parameter-values'
import { upload } from './upload'

export type { HostContext, HostFunction } from './context'
export { CwmpEventHub, type CwmpEventQueue } from './cwmp-events'
export { MESSAGE_TYPES } from './message-types'

/** The functions answered on the main thread; the worker adds print, log, sleep, json, os.clock. */
export const HOST_FUNCTIONS: readonly HostFunction[] = [
  sendCwmpMessage,
  listenToCwmpEvent,
  getDevice,
  lastError,
  listDevices,
  getParameterValues,
  setParameterValues,
  getParameterNames,
  addObject,
  deleteObject,
  reboot,
  factoryReset,
  download,
  upload,
]

/** One entry of the script API reference (the editor's completion and reference, the docs). */
export interface ScriptApiEntry {
  name: string
  signature: string
  summary: string
  example: string
}

/** Everything a script can call beyond standard Lua, for the editor's autocomplete and the docs. */
export const SCRIPT_API: readonly ScriptApiEntry[] = [
  ...HOST_FUNCTIONS.map(({ name, signature, summary, example }) => ({ name, signature, summary, example })),
  {
    name: 'sleep',
    signature: 'sleep(ms)',
    summary: 'Pauses the script without using CPU.',
    example: 'sleep(5000)  -- five seconds',
  },
  {
    name: 'log',
    signature: 'log(level, …)',
    summary: 'A line in the output and the event log; level is "debug", "info", "warn" or "error".',
    example: 'log("warn", "SSID not set on", DEVICE)',
  },
  { name: 'print', signature: 'print(…)', summary: "A line in the run's output.", example: 'print("uptime", 42)' },
  {
    name: 'json.encode',
    signature: 'json.encode(value [, pretty])',
    summary: 'A Lua value as JSON text.',
    example: 'print(json.encode(get_device(DEVICE), true))',
  },
  {
    name: 'json.decode',
    signature: 'json.decode(text)',
    summary: 'JSON text as a Lua value, or nil, err.',
    example: 'local t = json.decode(\'{"ssid": "Bench"}\')\nprint(t.ssid)',
  },
  {
    name: 'os.clock',
    signature: 'os.clock()',
    summary: 'CPU seconds the run has used running Lua.',
    example: 'local t0 = os.clock()\n-- … work …\nprint(("%.3f s of CPU"):format(os.clock() - t0))',
  },
  {
    name: 'DEVICE',
    signature: 'DEVICE',
    summary: 'The serial number the run is for (nil when it runs on no device).',
    example: 'print("running on " .. (DEVICE or "no device"))',
  },
  {
    name: 'DEVICES',
    signature: 'DEVICES',
    summary: 'All serial numbers the run is for (a list).',
    example: 'for _, sn in ipairs(DEVICES) do print(sn) end',
  },
  {
    name: 'TRIGGER',
    signature: 'TRIGGER',
    summary: 'What started the run: {kind = "manual" | "event" | "schedule" | "cli", event = …}.',
    example: 'if TRIGGER.kind == "event" then print("started by", TRIGGER.event) end',
  },
  {
    name: 'env',
    signature: 'env',
    summary:
      "The variables of the run's environment (Scripts → Environments), read-only; nil when undefined. Secret values print as ••••.",
    example:
      'local key = env.WIFI_KEY\nif not key then error("set WIFI_KEY in the environment") end\nprint("SSID " .. (env.SSID or "?"))',
  },
]
