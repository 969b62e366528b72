import type { ActionResult, DevicePage, DeviceView, SetParameterRequest } from '../../preload/api'
import type { Bench } from '../core/bench'
import { CwmpFaultError } from '../core/cwmp/faults'
import { downloadRequest } from '../core/cwmp/requests'
import { checkXsdValue } from '../../common/xsd'
import type { ParameterRecord } from '../core/store/types'
import { syncedDevice } from '../core/store/devices'
import { isSimulatedCpe } from '../core/sim'
import { deviceFilter } from './device-filter'
import { BadRequestError, NotFoundError } from './errors'
import { arr, nonEmpty, obj, optInt, optObj, optStr, str } from './validate'
import { BenchError, errorMessage } from '../core/errors'

const SOURCE = 'ui'

/**
 * A device as the UI shows it. Its status adds what the store does not keep: 1 ("in session")
 * while the device is in a CWMP session with the ACS right now; else 0 offline or 2 online.
 */
export function toView(bench: Bench, device: Parameters<typeof syncedDevice>[0]): DeviceView {
  const view: DeviceView = {
    ...syncedDevice(device),
    tags: bench.store.tags.of(device.serial),
    simulated: isSimulatedCpe(device.serial, device.connectionRequestUrl),
  }
  return bench.acs.inSession(device.serial) ? { ...view, status: 1 } : view
}

export function serialArg(value: unknown): string {
  return nonEmpty(value, 'serial', 256)
}

export function known(bench: Bench, serial: string): void {
  if (!bench.store.devices.get(serial)) throw new NotFoundError(`No device with serial ${serial}.`)
}

/** An action's outcome in words: a CWMP fault is an answer, not a crash of the API. */
export async function action(what: string, run: () => Promise<string | void>): Promise<ActionResult> {
  try {
    const message = await run()
    return { ok: true, message: message || `${what}: done.` }
  } catch (error) {
    if (error instanceof CwmpFaultError) {
      const details = (error.fault.setParameterValuesFaults ?? [])
        .map((f) => `${f.parameterName}: ${f.faultCode} ${f.faultString}`)
        .join('; ')
      return {
        ok: false,
        message: `${what}: the device answered with ${error.message}${details ? ` (${details})` : ''}`,
      }
    }
    // The caller's mistakes are errors of the call; a device that could not be reached is an outcome.
    if (error instanceof BenchError && error.kind !== 'unavailable') throw error
    return { ok: false, message: `${what}: ${errorMessage(error)}` }
  }
}

export function deviceHandlers(bench: Bench) {
  const { store } = bench
  // A technician's clicks come in bursts (set, set, refresh): keep the session for the next one.
  const ui = () => ({ source: SOURCE, holdSessionMs: bench.config.cwmp.holdSessionMs })
  return {
    'devices.list': async ([query]: unknown[]): Promise<DevicePage> => {
      const filter = deviceFilter(bench, query)
      const q = optObj(query, 'query')
      const offset = optInt(q.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0
      const limit = optInt(q.limit, 'limit', 1, 1000) ?? 200
      return {
        total: store.devices.count(filter),
        offset,
        rows: store.devices.list({ ...filter, offset, limit }).map((d) => toView(bench, d)),
      }
    },
    'devices.get': async ([serial]: unknown[]) => {
      const device = store.devices.get(serialArg(serial))
      return device ? toView(bench, device) : null
    },
    // Removing a device from the bench's list is itself an event, synced like any other (central
    // servers keep the device's record: it was provisioned, it still exists).
    'devices.remove': async ([serialValue]: unknown[]) => {
      const serial = serialArg(serialValue)
      return bench.journal.transaction((record) => {
        const removed = store.devices.delete(serial)
        // What was allowed for this device must not pass to whatever informs with its serial next.
        if (removed) bench.acs.forgetDevicePolicy(serial)
        // Nor what was learned about it (partial paths, an unstable mark): a CPE informing with its
        // serial next may be another unit or firmware.
        if (removed) bench.acs.forgetCapabilities(serial)
        if (removed)
          record({
            kind: 'system',
            serial,
            summary: `${serial} removed from the device list with its stored parameters (its events stay in the log)`,
          })
        return removed
      })
    },
    'devices.children': async ([serial, parent]: unknown[]): Promise<ParameterRecord[]> =>
      store.parameters.children(serialArg(serial), str(parent, 'parent path', 1024)),
    'devices.searchParameters': async ([serial, text]: unknown[]): Promise<ParameterRecord[]> =>
      store.parameters.search(serialArg(serial), str(text, 'search text', 256), 500),
    'devices.refresh': async ([serialValue, pathValue]: unknown[]): Promise<ActionResult> => {
      const serial = serialArg(serialValue)
      const path = str(pathValue, 'path', 1024)
      if (path !== '' && !path.endsWith('.')) throw new BadRequestError('Refresh an object path, ending in "."')
      known(bench, serial)
      const acs = bench.acs
      // An empty path asks for the whole tree: the root object of the device's data model.
      const root = path || `${store.devices.get(serial)?.dataModel || 'InternetGatewayDevice'}.`
      return action(`Refresh ${root}`, async () => {
        const names = await acs.execute(
          serial,
          { method: 'GetParameterNames', parameterPath: root, nextLevel: false },
          ui(),
        )
        const leaves = names.parameterList.filter((p) => !p.name.endsWith('.')).length
        // A CPE known to take partial paths is read in one GetParameterValues; any other one by the
        // leaves just listed, in batches (acs/reads.ts), since a partial path may crash it.
        const values = await acs.readValues(
          serial,
          acs.capabilities(serial).partialPaths === 'yes'
            ? [root]
            : names.parameterList.filter((p) => !p.name.endsWith('.')).map((p) => p.name),
          ui(),
        )
        return `Refreshed ${root}: ${names.parameterList.length} names, ${values.parameterList.length} values${
          leaves !== values.parameterList.length ? ` (${leaves} leaves)` : ''
        }${values.missing.length ? `; ${values.missing.length} listed names it then said it does not have` : ''}.`
      })
    },
    'devices.setParameters': async ([serialValue, valuesValue]: unknown[]): Promise<ActionResult> => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      const requests = arr(valuesValue, 'values', 1000).map((v, i): SetParameterRequest => {
        const o = obj(v, `value ${i + 1}`)
        return {
          name: nonEmpty(o.name, 'parameter name', 1024),
          value: str(o.value, 'value', 65_536),
          type: optStr(o.type, 'type', 64),
        }
      })
      if (requests.length === 0) throw new BadRequestError('Nothing to set.')
      const parameterList = requests.map((r) => {
        if (r.name.endsWith('.')) throw new BadRequestError(`${r.name} is an object; only parameters have values.`)
        const stored = store.parameters.get(serial, r.name)
        if (stored?.writable === false) throw new BadRequestError(`${r.name} is read-only on this device.`)
        const type = r.type || stored?.type || 'xsd:string'
        const problem = checkXsdValue(type, r.value)
        if (problem) throw new BadRequestError(`${r.name}: ${problem}.`)
        return { name: r.name, value: r.value, type }
      })
      const acs = bench.acs
      const what = parameterList.length === 1 ? `Set ${parameterList[0]!.name}` : `Set ${parameterList.length} values`
      return action(what, async () => {
        const response = await acs.execute(
          serial,
          { method: 'SetParameterValues', parameterList, parameterKey: `bench-${Date.now()}` },
          ui(),
        )
        return response.status === 1
          ? `${what}: accepted; the device applies it after its next reboot.`
          : `${what}: applied.`
      })
    },
    'devices.addObject': async ([serialValue, pathValue]: unknown[]) => {
      const serial = serialArg(serialValue)
      const path = nonEmpty(pathValue, 'object path', 1024)
      if (!path.endsWith('.')) throw new BadRequestError('Add an instance to an object path, ending in "."')
      known(bench, serial)
      return action(`Add to ${path}`, async () => {
        const r = await bench.acs.execute(
          serial,
          { method: 'AddObject', objectName: path, parameterKey: `bench-${Date.now()}` },
          ui(),
        )
        return `Added ${path}${r.instanceNumber}.${r.status === 1 ? ' (applies after a reboot)' : ''}`
      })
    },
    'devices.deleteObject': async ([serialValue, pathValue]: unknown[]) => {
      const serial = serialArg(serialValue)
      const path = nonEmpty(pathValue, 'object path', 1024)
      if (!/\.\d+\.$/.test(path)) throw new BadRequestError('Only an instance ("….2.") can be deleted.')
      known(bench, serial)
      return action(`Delete ${path}`, async () => {
        const r = await bench.acs.execute(
          serial,
          { method: 'DeleteObject', objectName: path, parameterKey: `bench-${Date.now()}` },
          ui(),
        )
        return `Deleted ${path}${r.status === 1 ? ' (applies after a reboot)' : ''}`
      })
    },
    'devices.reboot': async ([serialValue]: unknown[]): Promise<ActionResult> => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      const acs = bench.acs
      const commandKey = `bench-reboot-${Date.now()}`
      const result = await action('Reboot', async () => {
        await acs.execute(serial, { method: 'Reboot', commandKey }, ui())
        return 'Reboot accepted: the device will inform with "1 BOOT" when it is back.'
      })
      return result.ok ? { ...result, awaits: 'boot', commandKey } : result
    },
    'devices.factoryReset': async ([serialValue]: unknown[]): Promise<ActionResult> => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      const acs = bench.acs
      const result = await action('Factory reset', async () => {
        await acs.execute(serial, { method: 'FactoryReset' }, ui())
        return 'Factory reset accepted: the device will come back with "0 BOOTSTRAP".'
      })
      return result.ok ? { ...result, awaits: 'bootstrap' } : result
    },
    'devices.download': async ([serialValue, requestValue]: unknown[]): Promise<ActionResult> => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      const r = obj(requestValue, 'download')
      const url = nonEmpty(r.url, 'file URL', 2048)
      if (!/^(https?|ftp|tftp):\/\//i.test(url))
        throw new BadRequestError('The file URL must start with http://, https:// or ftp://')
      const request = downloadRequest({
        commandKey: `bench-download-${Date.now()}`,
        fileType: nonEmpty(r.fileType, 'file type', 64),
        url,
        username: optStr(r.username, 'username', 256) ?? '',
        password: optStr(r.password, 'password', 256) ?? '',
        fileSize: optInt(r.fileSize, 'file size', 0, 2 ** 32 - 1) ?? 0,
        targetFileName: optStr(r.targetFileName, 'target file name', 256) ?? '',
        delaySeconds: optInt(r.delaySeconds, 'delay', 0, 86_400) ?? 0,
      })
      const acs = bench.acs
      let later = false
      const result = await action('Download', async () => {
        const response = await acs.execute(serial, request, ui())
        // Status 1: not done yet; the device reports how it went with a TransferComplete.
        later = response.status !== 0
        return later
          ? 'Download accepted: the device reports the result with TRANSFER COMPLETE when it is done.'
          : 'Download completed.'
      })
      return later ? { ...result, awaits: 'transfer', commandKey: request.commandKey } : result
    },
    'devices.wake': async ([serialValue]: unknown[]) => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      return action('Connection request', async () => {
        const r = await bench.acs.wake(serial)
        return `Connection request accepted (HTTP ${r.status}, ${r.durationMs} ms): the device opens a session now.`
      })
    },
    'devices.trust': async ([serialValue]: unknown[]) => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      return bench.acs.devicePolicy(serial)
    },
    'devices.setTrust': async ([serialValue, patchValue]: unknown[]) => {
      const serial = serialArg(serialValue)
      const p = obj(patchValue, 'trust settings')
      const flag = (v: unknown, what: string) => {
        if (v !== undefined && typeof v !== 'boolean') throw new BadRequestError(`${what} is true or false.`)
        return v as boolean | undefined
      }
      const url = optStr(p.confirmedCrUrl, 'connection request URL', 1024)
      if (url) {
        let parsed: URL | undefined
        try {
          parsed = new URL(url)
        } catch {
          // reported below
        }
        if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
          throw new BadRequestError('The connection request URL is an http:// or https:// URL.')
      }
      return bench.acs.setDevicePolicy(serial, {
        ...(url !== undefined ? { confirmedCrUrl: url } : {}),
        ...(p.allowBasicCr !== undefined ? { allowBasicCr: flag(p.allowBasicCr, 'Allow Basic') } : {}),
        ...(p.matchByAddress !== undefined ? { matchByAddress: flag(p.matchByAddress, 'Match by address') } : {}),
      })
    },
    'devices.rpcs': async ([serialValue]: unknown[]) => {
      return bench.acs.rpcs(serialArg(serialValue))
    },
  }
}
