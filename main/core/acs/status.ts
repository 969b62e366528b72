import type { BenchEvents } from '../events'
import type { Journal } from '../journal'
import { DeviceStatus, type DeviceRecord, type Store } from '../store'
import { CapabilityStore, overdueFromGaps } from './capabilities'

/** Slack on top of two missed periodic informs before a device counts as offline. */
export const OVERDUE_GRACE_MS = 60_000
/** When a device never reported PeriodicInformInterval (or disabled periodic informs). */
export const DEFAULT_OVERDUE_MS = 30 * 60_000

/**
 * How long after its last Inform a device is considered gone: from its PeriodicInformInterval
 * (reported in an Inform, or read at discovery), else from the gaps seen between its Informs,
 * else 30 minutes.
 */
export function overdueAfterMs(device: DeviceRecord, informGaps: number[] = []): number {
  const interval = device.periodicInformInterval
  if (interval && interval > 0) return 2 * interval * 1000 + OVERDUE_GRACE_MS
  return overdueFromGaps(informGaps, OVERDUE_GRACE_MS) ?? DEFAULT_OVERDUE_MS
}

/**
 * Corrects device statuses that no session will correct: "in session" without a live session
 * (e.g. after the app was killed) becomes online, and a device overdue for its Inform goes
 * offline. Returns the devices it changed.
 */
export function sweepStatuses(
  deps: { store: Store; journal: Journal; events: BenchEvents; capabilities?: CapabilityStore },
  inSession: (serial: string) => boolean,
  now = Date.now(),
): DeviceRecord[] {
  const changed: DeviceRecord[] = []
  // The ACS's own: it holds the gaps between Informs seen since the start (capabilities.ts).
  const capabilities = deps.capabilities ?? new CapabilityStore(deps.store)
  for (const status of [DeviceStatus.Associating, DeviceStatus.Online]) {
    for (const device of deps.store.devices.list({ status })) {
      if (inSession(device.serial)) continue
      const last = device.lastInform ?? device.firstSeen
      const after = overdueAfterMs(
        device,
        device.periodicInformInterval ? [] : capabilities.get(device.serial).informGaps,
      )
      const overdue = now - last > after
      const next = overdue ? DeviceStatus.Offline : DeviceStatus.Online
      if (next === device.status) continue
      const updated = deps.journal.transaction((record) => {
        const { device: d } = deps.store.devices.upsert(device.serial, { status: next }, now)
        if (overdue)
          record({
            kind: 'system',
            serial: device.serial,
            summary: `${device.serial} is offline: no Inform since ${new Date(last).toISOString()}${device.periodicInformInterval ? ` (it informs every ${device.periodicInformInterval} s)` : after !== DEFAULT_OVERDUE_MS ? ` (its Informs came at most ${Math.round((after - OVERDUE_GRACE_MS) / 2000)} s apart)` : ''}`,
            detail: { lastInform: device.lastInform, overdueAfterMs: after },
          })
        return d
      })
      changed.push(updated)
    }
  }
  for (const device of changed) deps.events.emit('device.updated', { device })
  return changed
}
