import type { AcsRequest, CpeResponse } from '../cwmp/types'
import type { DeviceRecord, Store } from '../store'
import { parentPath } from '../store'
import { identityPatch } from './inform'

export interface ParameterChange {
  names: string[]
  removedPrefixes: string[]
  /** The device record, when the values changed what it says (model, versions, interval …). */
  device?: DeviceRecord
}

const NONE: ParameterChange = { names: [], removedPrefixes: [] }

/** Values read or set are also what the device record says about the device: keep it in step. */
function withIdentity(
  store: Store,
  serial: string,
  values: { name: string; value: string }[],
  change: ParameterChange,
) {
  const patch = identityPatch(values)
  if (Object.keys(patch).length === 0) return change
  const { device, changed } = store.devices.upsert(serial, patch)
  return changed ? { ...change, device } : change
}

/**
 * Brings the stored parameter tree in line with what an answered RPC proved about the device.
 * Runs inside the caller's transaction.
 */
export function applyResult(store: Store, serial: string, request: AcsRequest, response: CpeResponse): ParameterChange {
  const now = Date.now()
  switch (response.method) {
    case 'GetParameterValuesResponse': {
      const list = response.parameterList
      store.parameters.upsert(
        serial,
        list.map((p) => ({ name: p.name, value: p.value, type: p.type })),
        now,
      )
      return withIdentity(store, serial, list, { names: list.map((p) => p.name), removedPrefixes: [] })
    }
    case 'GetParameterNamesResponse': {
      if (request.method !== 'GetParameterNames') return NONE
      const list = response.parameterList
      store.parameters.upsert(
        serial,
        list.map((p) => ({ name: p.name, writable: p.writable })),
        now,
      )
      const removedPrefixes = pruneMissing(store, serial, request.parameterPath, request.nextLevel, list)
      return { names: list.map((p) => p.name), removedPrefixes }
    }
    case 'SetParameterValuesResponse': {
      if (request.method !== 'SetParameterValues' || (response.status !== 0 && response.status !== 1)) return NONE
      store.parameters.upsert(
        serial,
        request.parameterList.map((p) => ({ name: p.name, value: p.value, type: p.type })),
        now,
      )
      return withIdentity(store, serial, request.parameterList, {
        names: request.parameterList.map((p) => p.name),
        removedPrefixes: [],
      })
    }
    case 'AddObjectResponse': {
      if (request.method !== 'AddObject') return NONE
      const base = request.objectName.endsWith('.') ? request.objectName : `${request.objectName}.`
      const name = `${base}${response.instanceNumber}.`
      store.parameters.upsert(serial, [{ name }], now)
      return { names: [name], removedPrefixes: [] }
    }
    case 'DeleteObjectResponse': {
      if (request.method !== 'DeleteObject') return NONE
      const prefix = request.objectName.endsWith('.') ? request.objectName : `${request.objectName}.`
      store.parameters.removeSubtree(serial, prefix)
      return { names: [], removedPrefixes: [prefix] }
    }
    default:
      return NONE
  }
}

/**
 * GetParameterNames lists what exists: with NextLevel false everything below the path, with
 * NextLevel true its direct children. Whatever we stored there that the CPE no longer lists is
 * gone from the device (a deleted instance, a firmware change), so it goes from the store too.
 */
function pruneMissing(
  store: Store,
  serial: string,
  path: string,
  nextLevel: boolean,
  listed: { name: string }[],
): string[] {
  // A partial path to a single parameter (no trailing dot) proves nothing about siblings.
  if (path !== '' && !path.endsWith('.')) return []
  const present = new Set(listed.map((p) => p.name))
  const removed: string[] = []
  if (nextLevel) {
    for (const child of store.parameters.children(serial, path)) if (!present.has(child.name)) removed.push(child.name)
    store.parameters.removeAll(serial, removed)
    return removed
  }
  // Keep the ancestors of everything listed too: some CPEs list only leaves.
  for (const name of present) {
    for (let p = parentPath(name); p.length > path.length; p = parentPath(p)) present.add(p)
  }
  // Names come in order, so everything below a dropped object follows it: it went with the object.
  let gone: string | undefined
  for (const stored of store.parameters.subtree(serial, path)) {
    if (stored.name === path || present.has(stored.name)) continue
    if (gone !== undefined && stored.name.startsWith(gone)) continue
    removed.push(stored.name)
    if (stored.name.endsWith('.')) gone = stored.name
  }
  store.parameters.removeAll(serial, removed)
  return removed
}
