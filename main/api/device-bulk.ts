import {
  DEVICE_COLUMNS,
  type BulkAction,
  type BulkResult,
  type DeviceColumn,
  type DeviceView,
  type ExportResult,
} from '../../preload/api'
import type { Bench } from '../core/bench'
import { MAX_RUN_SERIALS } from '../core/scripts/triggers/engine'
import { csvText } from './csv'
import { deviceFilter, tagArg } from './device-filter'
import { known, serialArg, toView } from './devices'
import { BadRequestError } from './errors'
import { arr, nonEmpty, obj, oneOf, optStr } from './validate'

/** Longest alias, characters. */
export const MAX_ALIAS = 128
/** Most rows in one CSV export (a bench has a few thousand devices). */
export const DEVICE_EXPORT_CAP = 100_000

/**
 * The device list's bulk reboot: a built-in script, so a reboot of 2,000 devices is one script
 * batch like any other (progress, "stop the rest", each device's outcome in its run).
 */
export const BULK_REBOOT_NAME = 'Reboot (device list)'
export const BULK_REBOOT_SOURCE = `-- Built in: the device list's bulk reboot, one run per device.
local ok, err = reboot(DEVICE)
if not ok then error("the reboot was not accepted: " .. tostring(err and err.message or err), 0) end
print("Reboot accepted: " .. DEVICE .. " informs 1 BOOT when it is back")
`

/** The serials a selection names: listed ones (each known), or all a filter matches now. */
export function selectedSerials(bench: Bench, value: unknown): string[] {
  const s = obj(value, 'selection')
  let serials: string[]
  if (s.serials !== undefined) {
    serials = [...new Set(arr(s.serials, 'serials', MAX_RUN_SERIALS).map((v) => serialArg(v)))]
    const unknown = serials.filter((serial) => !bench.store.devices.get(serial))
    if (unknown.length > 0)
      throw new BadRequestError(
        `Not in the device list (removed meanwhile?): ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
      )
  } else {
    const filter = deviceFilter(bench, s.query)
    serials = bench.store.devices.serialsOf(filter)
  }
  if (serials.length === 0) throw new BadRequestError('No device is selected: tick some rows, or clear the filter.')
  return serials
}

function action(value: unknown): BulkAction {
  const a = obj(value, 'bulk action')
  const kind = oneOf(a.kind, ['reboot', 'script', 'profile', 'tag', 'untag'] as const, 'bulk action')
  if (kind === 'reboot') return { kind }
  if (kind === 'script') return { kind, scriptId: nonEmpty(a.scriptId, 'script id', 64) }
  if (kind === 'profile') return { kind, profile: nonEmpty(a.profile, 'profile', 200) }
  return { kind, tag: tagArg(a.tag) }
}

const plural = (n: number, what: string) => `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`

const STATUS_WORDS = ['offline', 'in session', 'online'] as const

function cell(d: DeviceView, column: DeviceColumn, provisioning: string | undefined): string {
  switch (column) {
    case 'status':
      return STATUS_WORDS[d.status] ?? String(d.status)
    case 'lastInform':
      return d.lastInform === null ? '' : new Date(d.lastInform).toISOString()
    case 'provisioning':
      return provisioning ?? ''
    case 'tags':
      return d.tags.join('; ')
    default:
      return String(d[column] ?? '')
  }
}

const HEADERS: Record<DeviceColumn, string> = {
  serial: 'serial',
  alias: 'alias',
  tags: 'tags',
  manufacturer: 'vendor',
  model: 'model',
  softwareVersion: 'software version',
  ip: 'ip',
  status: 'status',
  lastInform: 'last inform',
  provisioning: 'provisioning',
}

/** The device list's bulk work, alias and tags, and its CSV export. */
export function deviceBulkHandlers(bench: Bench) {
  const { store } = bench
  const announce = (serials: string[]) => {
    for (const serial of serials) {
      const device = store.devices.get(serial)
      if (device) bench.events.emit('device.updated', { device })
    }
  }
  return {
    'devices.setAlias': async ([serialValue, aliasValue]: unknown[]): Promise<DeviceView> => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      const alias = (optStr(aliasValue, 'alias', 1024) ?? '').trim()
      if (alias.length > MAX_ALIAS) throw new BadRequestError(`An alias has at most ${MAX_ALIAS} characters.`)
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(alias)) throw new BadRequestError('An alias cannot hold control characters.')
      const { device, changed } = store.devices.upsert(serial, { alias })
      if (changed) bench.events.emit('device.updated', { device })
      return toView(bench, device)
    },
    'devices.tags': async () => store.tags.all(),
    'devices.bulk': async ([selectionValue, actionValue]: unknown[]): Promise<BulkResult> => {
      const what = action(actionValue)
      const serials = selectedSerials(bench, selectionValue)
      const n = serials.length
      const target = { kind: 'devices' as const, serials }
      switch (what.kind) {
        case 'reboot': {
          const runs = bench.scripts.runSource({
            name: BULK_REBOOT_NAME,
            source: BULK_REBOOT_SOURCE,
            target,
            by: 'ui',
            batch: true,
          })
          return { devices: n, batchId: runs[0]?.batchId ?? null, message: `Reboot started on ${plural(n, 'device')}.` }
        }
        case 'script': {
          const runs = bench.scripts.run(what.scriptId, { target, by: 'ui', batch: true })
          const name = runs[0]?.scriptName ?? 'The script'
          return {
            devices: n,
            batchId: runs[0]?.batchId ?? null,
            message: `"${name}" started on ${plural(n, 'device')}.`,
          }
        }
        case 'profile': {
          const started = bench.profiles.runOn(what.profile, serials)
          const skipped = n - started.length
          return {
            devices: started.length,
            batchId: null,
            profileRunIds: started,
            message: `Profile "${what.profile}" started on ${plural(started.length, 'device')}${
              skipped ? ` (${plural(skipped, 'device')} already running it)` : ''
            }; the Provisioning column shows how each one ends.`,
          }
        }
        case 'tag': {
          const added = store.tags.add(serials, what.tag)
          announce(serials)
          return {
            devices: added,
            batchId: null,
            message: `Tagged ${plural(added, 'device')} "${what.tag}"${added < n ? ` (${n - added} had it already or are at the tag limit)` : ''}.`,
          }
        }
        case 'untag': {
          const removed = store.tags.remove(serials, what.tag)
          announce(serials)
          return {
            devices: removed,
            batchId: null,
            message: `Removed "${what.tag}" from ${plural(removed, 'device')}.`,
          }
        }
      }
    },
    'devices.exportCsv': async ([queryValue, columnsValue]: unknown[]): Promise<ExportResult> => {
      const filter = deviceFilter(bench, queryValue)
      const columns = arr(columnsValue, 'columns', DEVICE_COLUMNS.length * 2).map((c) =>
        oneOf(c, DEVICE_COLUMNS, 'column'),
      )
      const shown = DEVICE_COLUMNS.filter((c) => columns.includes(c))
      if (shown.length === 0) throw new BadRequestError('Choose at least one column to export.')
      const states = shown.includes('provisioning') ? bench.profiles.states() : {}
      const rows: string[][] = []
      const page = 5000
      let truncated = false
      for (let offset = 0; ; offset += page) {
        const devices = store.devices.list({ ...filter, offset, limit: page })
        for (const d of devices) {
          if (rows.length === DEVICE_EXPORT_CAP) {
            truncated = true
            break
          }
          const view = toView(bench, d)
          rows.push(shown.map((c) => cell(view, c, states[d.serial])))
        }
        if (truncated || devices.length < page) break
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
      return {
        fileName: `bench-acs-devices-${stamp}.csv`,
        mimeType: 'text/csv',
        content: csvText(
          shown.map((c) => HEADERS[c]),
          rows,
        ),
        rows: rows.length,
        truncated,
      }
    },
  }
}
