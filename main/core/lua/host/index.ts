import type { HostFunction } from './context'
import { addObject } from './add-object'
import { deleteObject } from './delete-object'
import { download } from './download'
import { factoryReset } from './factory-reset'
import { getDevice } from './get-device'
import { getParameterNames } from './get-parameter-names'
import { getParameterValues } from './get-parameter-values'
import { listDevices } from './list-devices'
import { listenToCwmpEvent } from './listen-to-cwmp-event'
import { reboot } from './reboot'
import { sendCwmpMessage } from './send-cwmp-message'
import { setParameterValues } from './set-parameter-values'

export type { HostContext, HostFunction } from './context'
export { CwmpEventHub, type CwmpEventQueue } from './cwmp-events'
export { MESSAGE_TYPES } from './message-types'

/** The functions answered on the main thread; the worker adds print, log, sleep, json, os.clock. */
export const HOST_FUNCTIONS: readonly HostFunction[] = [
  sendCwmpMessage,
  listenToCwmpEvent,
  getDevice,
  listDevices,
  getParameterValues,
  setParameterValues,
  getParameterNames,
  addObject,
  deleteObject,
  reboot,
  factoryReset,
  download,
]

/** Everything a script can call beyond standard Lua, for the editor's autocomplete and the docs. */
export const SCRIPT_API: readonly { name: string; signature: string; summary: string }[] = [
  ...HOST_FUNCTIONS.map(({ name, signature, summary }) => ({ name, signature, summary })),
  { name: 'sleep', signature: 'sleep(ms)', summary: 'Pauses the script without using CPU.' },
  {
    name: 'log',
    signature: 'log(level, …)',
    summary: 'A line in the output and the event log; level is "debug", "info", "warn" or "error".',
  },
  { name: 'print', signature: 'print(…)', summary: "A line in the run's output." },
  { name: 'json.encode', signature: 'json.encode(value [, pretty])', summary: 'A Lua value as JSON text.' },
  { name: 'json.decode', signature: 'json.decode(text)', summary: 'JSON text as a Lua value, or nil, err.' },
  { name: 'os.clock', signature: 'os.clock()', summary: 'CPU seconds the run has used running Lua.' },
  { name: 'DEVICE', signature: 'DEVICE', summary: 'The serial number the run is for (nil when it runs on no device).' },
  { name: 'DEVICES', signature: 'DEVICES', summary: 'All serial numbers the run is for (a list).' },
  {
    name: 'TRIGGER',
    signature: 'TRIGGER',
    summary: 'What started the run: {kind = "manual" | "event" | "schedule" | "cli", event = …}.',
  },
]
