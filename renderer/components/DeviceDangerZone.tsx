import { useState } from 'react'
import { bench } from '../lib/bench'
import { messageOf } from '../lib/hooks'
import { navigate } from '../lib/router'
import { ErrorNote, Spinner } from './ui'

/**
 * What cannot be undone from this page and is not a device action: removing the device and its
 * stored parameters from the bench's list. Kept apart from Reboot and Factory reset, at the foot
 * of the device's facts, so that neither is clicked for the other.
 */
export function DeviceDangerZone({ serial }: { serial: string }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const remove = async () => {
    if (
      !window.confirm(`Remove ${serial} and its stored parameters from this list? It comes back with its next Inform.`)
    )
      return
    setBusy(true)
    setError(null)
    try {
      await bench.devices.remove(serial)
      navigate('devices')
    } catch (e) {
      setError(`Could not remove ${serial}: ${messageOf(e)}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="danger-zone" aria-label="Danger zone" data-testid="danger-zone">
      <span className="danger-zone-title">Danger zone</span>
      <span className="muted small">
        Forget this device here (the CPE itself is not touched; it comes back when it informs).
      </span>
      <button className="small danger" onClick={() => void remove()} disabled={busy} data-testid="action-remove">
        {busy ? <Spinner label="Removing…" /> : 'Remove from list'}
      </button>
      <ErrorNote error={error} />
    </section>
  )
}
