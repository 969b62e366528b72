import { useState } from 'react'
import { DEVICE_COLUMNS, type DeviceColumn, type DeviceQuery } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { saveFile } from '../../lib/format'
import { messageOf } from '../../lib/hooks'
import { ErrorNote, Spinner } from '../ui'
import { COLUMN_DEFS } from './columns'
import { NO_FILTER, type ListFilter, type SavedFilter } from './saved-filters'

/** Which columns the list shows (and the CSV export holds); the serial always. */
export function ColumnChooser({ shown, toggle }: { shown: DeviceColumn[]; toggle: (c: DeviceColumn) => void }) {
  return (
    <details className="menu" data-testid="column-chooser">
      <summary className="button small">Columns</summary>
      <div className="menu-body" role="group" aria-label="Columns shown">
        {DEVICE_COLUMNS.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              checked={shown.includes(c)}
              disabled={c === 'serial'}
              onChange={() => toggle(c)}
              data-testid={`column-${c}`}
            />
            {COLUMN_DEFS[c].label}
          </label>
        ))}
      </div>
    </details>
  )
}

/** Pick a saved filter, or name the current one. */
export function SavedFilters({
  saved,
  current,
  apply,
  save,
  remove,
}: {
  saved: SavedFilter[]
  current: ListFilter
  apply: (f: ListFilter) => void
  save: (name: string, f: ListFilter) => void
  remove: (name: string) => void
}) {
  const [naming, setNaming] = useState(false)
  const [name, setName] = useState('')
  const active = saved.find((f) => sameFilter(f, current))
  return (
    <>
      <select
        value={active?.name ?? ''}
        onChange={(e) => {
          const f = saved.find((s) => s.name === e.target.value)
          apply(f ?? NO_FILTER)
        }}
        aria-label="Saved filters"
        data-testid="saved-filters"
      >
        <option value="">{saved.length ? 'Saved filters…' : 'No saved filters'}</option>
        {saved.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name}
          </option>
        ))}
      </select>
      {active && (
        <button className="small" onClick={() => remove(active.name)} data-testid="saved-filter-remove">
          Forget “{active.name}”
        </button>
      )}
      {naming ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (!name.trim()) return
            save(name.trim(), current)
            setNaming(false)
            setName('')
          }}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="name"
            aria-label="Name of this filter"
            maxLength={60}
            autoFocus
            data-testid="saved-filter-name"
          />
          <button className="small primary" type="submit" disabled={!name.trim()} data-testid="saved-filter-save">
            Save
          </button>
          <button className="small" type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        !active &&
        !sameFilter(current, NO_FILTER) && (
          <button className="small" onClick={() => setNaming(true)} data-testid="saved-filter-new">
            Save filter…
          </button>
        )
      )}
    </>
  )
}

function sameFilter(a: ListFilter, b: ListFilter): boolean {
  return a.text === b.text && a.status === b.status && a.provisioning === b.provisioning && a.tag === b.tag
}

/** The whole filtered list as CSV, written by the server (not only the rows on screen). */
export function ExportCsv({ query, columns }: { query: DeviceQuery; columns: DeviceColumn[] }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = async () => {
    setBusy(true)
    setError(null)
    try {
      const result = await bench.devices.exportCsv(query, columns)
      saveFile(result.fileName, result.mimeType, result.content)
      if (result.truncated)
        setError(`The export stopped at ${result.rows.toLocaleString('en')} rows: narrow the filter.`)
    } catch (e) {
      setError(`Export failed: ${messageOf(e)}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button className="small" onClick={() => void run()} disabled={busy} data-testid="devices-export">
        {busy ? <Spinner label="Exporting…" /> : 'Export CSV'}
      </button>
      <ErrorNote error={error} />
    </>
  )
}
