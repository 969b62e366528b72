import { useState } from 'react'
import type { DeviceView } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { messageOf } from '../../lib/hooks'
import { SimMark } from './DeviceCells'
import './devices.css'

/**
 * The device page header's alias ("Lab shelf 3, customer 42"): the technician's name for the unit,
 * shown in the list and found by its search. Click to edit; an empty alias clears it. The device's
 * tags and its "sim" mark show beside it.
 */
export function DeviceAlias({ device }: { device: DeviceView }) {
  const [editing, setEditing] = useState(false)
  const [value, setValue] = useState(device.alias)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const save = async () => {
    setBusy(true)
    setError(null)
    try {
      await bench.devices.setAlias(device.serial, value)
      setEditing(false)
    } catch (e) {
      setError(`The alias was not saved: ${messageOf(e)}`)
    } finally {
      setBusy(false)
    }
  }
  if (!editing)
    return (
      <span className="alias-edit">
        <SimMark device={device} />
        {device.tags.map((t) => (
          <span key={t} className="device-tag" data-testid="device-header-tag">
            {t}
          </span>
        ))}
        {device.alias && (
          <span className="muted" data-testid="device-alias-text">
            {device.alias}
          </span>
        )}
        <button
          className="small"
          onClick={() => {
            setValue(device.alias)
            setEditing(true)
          }}
          data-testid="device-alias-edit"
        >
          {device.alias ? 'Rename' : 'Add alias'}
        </button>
      </span>
    )
  return (
    <form
      className="alias-edit"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <input
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label="Alias"
        placeholder="e.g. shelf 3, customer 42"
        maxLength={128}
        autoFocus
        data-testid="device-alias-input"
      />
      <button className="small primary" type="submit" disabled={busy} data-testid="device-alias-save">
        Save
      </button>
      <button className="small" type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <span className="invalid-text" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}
