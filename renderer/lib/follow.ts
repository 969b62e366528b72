import type { ActionResult, LoggedEvent } from '../../preload/api'

/** What a device reports to finish an accepted action (ActionResult.awaits). */
export type Awaited = NonNullable<ActionResult['awaits']>

/** The event code or report that ends each kind of action, in the technician's words. */
export const AWAITED_LABEL: Record<Awaited, string> = {
  boot: '"1 BOOT"',
  bootstrap: '"0 BOOTSTRAP"',
  transfer: 'TRANSFER COMPLETE',
}

/** The action each awaited report finishes. */
export const AWAITED_ACTION: Record<Awaited, string> = {
  boot: 'Reboot',
  bootstrap: 'Factory reset',
  transfer: 'Download',
}

const detailOf = (e: LoggedEvent) => (e.detail ?? {}) as { code?: unknown; commandKey?: unknown }

/**
 * How an accepted action ended, read from one event of the device's log: null while the event is
 * not the one awaited. A reboot ends with the device's "1 BOOT" Inform, a factory reset with its
 * "0 BOOTSTRAP", a download with the TransferComplete carrying the same CommandKey.
 */
export function outcomeOf(
  awaits: Awaited,
  commandKey: string | undefined,
  serial: string,
  e: LoggedEvent,
): { ok: boolean; message: string } | null {
  if (e.serial !== serial) return null
  const detail = detailOf(e)
  if (awaits === 'transfer') {
    if (e.kind !== 'transfer' || (commandKey && detail.commandKey !== commandKey)) return null
    if (e.severity === 'info')
      return { ok: true, message: 'The device reports the download completed (TRANSFER COMPLETE).' }
    const fault = e.summary.replace(/^.*? failed: /, '')
    return {
      ok: false,
      message: `The device reports the download failed: ${fault}. Check that it can reach the file URL.`,
    }
  }
  const code = awaits === 'boot' ? '1 BOOT' : '0 BOOTSTRAP'
  if (e.kind !== 'cwmp-event' || detail.code !== code) return null
  return {
    ok: true,
    message: `${serial} is back: it informed with "${code}" at ${new Date(e.ts).toLocaleTimeString()}.`,
  }
}
