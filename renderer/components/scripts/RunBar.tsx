import { useState } from 'react'
import type { RunTarget } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { useLoad } from '../../lib/hooks'
import { Spinner } from '../ui'

type Kind = 'devices' | 'all' | 'none'

/** Where the next run goes: one device, several (comma-separated), all of them, or none. */
export function RunBar({ running, onRun }: { running: boolean; onRun: (target: RunTarget) => void }) {
  const [kind, setKind] = useState<Kind>('devices')
  const [serials, setSerials] = useState('')
  // Suggestions: the first devices of the store (simulated CPEs included), as a datalist.
  const devices = useLoad(() => bench.devices.list({ limit: 200 }), [])
  const list = serials
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  const ready = kind !== 'devices' || list.length > 0
  const run = () => onRun(kind === 'devices' ? { kind, serials: list } : { kind })
  return (
    <form
      className="runbar"
      onSubmit={(e) => {
        e.preventDefault()
        if (ready && !running) run()
      }}
    >
      <label className="muted small">Run on</label>
      <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="run-target-kind">
        <option value="devices">device(s)</option>
        <option value="all">all devices ({devices.data?.total ?? '…'})</option>
        <option value="none">no device</option>
      </select>
      {kind === 'devices' && (
        <>
          <input
            list="run-serials"
            className="serials-input mono"
            placeholder="serial, or several separated by commas"
            value={serials}
            onChange={(e) => setSerials(e.target.value)}
            data-testid="run-serials"
          />
          <datalist id="run-serials">
            {devices.data?.rows.map((d) => (
              <option key={d.serial} value={d.serial}>
                {d.manufacturer} {d.model}
              </option>
            ))}
          </datalist>
        </>
      )}
      <button type="submit" className="primary" disabled={!ready || running} data-testid="script-run">
        {running ? (
          <Spinner label="Starting…" />
        ) : kind === 'devices' && list.length > 1 ? (
          `Run on ${list.length} devices`
        ) : (
          'Run'
        )}
      </button>
      <span className="muted small">Saves first; Ctrl/⌘+S saves.</span>
    </form>
  )
}
