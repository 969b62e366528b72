import { useState } from 'react'
import type { SimStatus } from '../../preload/api'
import { bench } from '../lib/bench'
import { messageOf } from '../lib/hooks'
import { ErrorNote, Spinner } from './ui'

/** ACS requests a simulated CPE can be told to refuse (main/core/sim/rpc.ts CPE_METHODS, the common ones). */
const METHODS = [
  'GetParameterValues',
  'SetParameterValues',
  'GetParameterNames',
  'AddObject',
  'DeleteObject',
  'Reboot',
  'FactoryReset',
  'Download',
  'Upload',
  'GetRPCMethods',
  'GetParameterAttributes',
  'SetParameterAttributes',
  'ScheduleInform',
]

/** Standard CPE fault codes (TR-069 A.5.1) offered first; any 9000–9899 may be typed. */
const CODES: [number, string][] = [
  [9001, 'Request denied'],
  [9002, 'Internal error'],
  [9003, 'Invalid arguments'],
  [9004, 'Resources exceeded'],
  [9005, 'Invalid parameter name'],
  [9000, 'Method not supported'],
]

/**
 * Faults for one CPE of the running fleet: offline (no sessions, connection requests dropped),
 * one RPC refused with a fault code, slow answers. The CPEs with faults are listed with a Clear.
 */
export function SimFaults({ status, onStatus }: { status: SimStatus; onStatus: (s: SimStatus) => void }) {
  const [serial, setSerial] = useState(status.serials[0] ?? '')
  const [offline, setOffline] = useState(false)
  const [method, setMethod] = useState('')
  const [code, setCode] = useState(9002)
  const [delay, setDelay] = useState(0)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const codeOk = Number.isInteger(code) && code >= 9000 && code <= 9899
  const delayOk = Number.isInteger(delay) && delay >= 0 && delay <= 120_000
  const send = async (target: string, faults: Parameters<typeof bench.sim.faults>[1]) => {
    setBusy(target)
    setError(null)
    try {
      onStatus(await bench.sim.faults(target, faults))
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(null)
    }
  }
  return (
    <section className="card form" data-testid="sim-faults">
      <h2>Fault injection</h2>
      <p className="hint">
        Make one simulated CPE misbehave, to see how the ACS, profiles and scripts cope: offline (no sessions,
        connection requests unanswered; what it should inform waits until it is back), an RPC refused with a CWMP fault,
        or a delay before each answer.
      </p>
      <form
        className="row sim-faults-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!serial || !codeOk || !delayOk) return
          void send(serial, {
            offline,
            refuse: method ? [{ method, faultCode: code }] : [],
            answerDelayMs: delay,
          })
        }}
      >
        <label>
          CPE
          <input
            list="sim-fault-serials"
            className="mono"
            value={serial}
            onChange={(e) => setSerial(e.target.value.trim())}
            data-testid="sim-fault-serial"
          />
          <datalist id="sim-fault-serials">
            {status.serials.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={offline}
            onChange={(e) => setOffline(e.target.checked)}
            data-testid="sim-fault-offline"
          />{' '}
          Offline
        </label>
        <label>
          Refuse RPC
          <select value={method} onChange={(e) => setMethod(e.target.value)} data-testid="sim-fault-method">
            <option value="">none</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          with fault code
          <input
            type="number"
            min={9000}
            max={9899}
            list="sim-fault-codes"
            value={code}
            onChange={(e) => setCode(Number(e.target.value))}
            aria-invalid={!codeOk}
            disabled={!method}
            data-testid="sim-fault-code"
          />
          <datalist id="sim-fault-codes">
            {CODES.map(([c, meaning]) => (
              <option key={c} value={c}>
                {meaning}
              </option>
            ))}
          </datalist>
        </label>
        <label>
          Answer delay (ms)
          <input
            type="number"
            min={0}
            max={120000}
            step={100}
            value={delay}
            onChange={(e) => setDelay(Number(e.target.value))}
            aria-invalid={!delayOk}
            data-testid="sim-fault-delay"
          />
        </label>
        <button
          type="submit"
          className="primary"
          disabled={!serial || !codeOk || !delayOk || busy !== null}
          data-testid="sim-fault-apply"
        >
          {busy === serial ? <Spinner label="Applying…" /> : 'Apply to this CPE'}
        </button>
      </form>
      {!codeOk && <span className="invalid-text">A CPE fault code is from 9000 to 9899.</span>}
      {!delayOk && <span className="invalid-text">The delay is 0 to 120,000 ms.</span>}
      <ErrorNote error={error} />
      {status.faulted.length === 0 ? (
        <p className="muted small" data-testid="sim-faults-none">
          No CPE has faults: all answer normally.
        </p>
      ) : (
        <table className="plain" data-testid="sim-faulted">
          <thead>
            <tr>
              <th>CPE</th>
              <th>Faults</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {status.faulted.map((f) => (
              <tr key={f.serial} data-testid="sim-faulted-row" data-serial={f.serial}>
                <td className="mono">{f.serial}</td>
                <td>{f.summary}</td>
                <td className="row-actions">
                  <button
                    className="small"
                    onClick={() => void send(f.serial, {})}
                    disabled={busy !== null}
                    data-testid="sim-fault-clear"
                  >
                    {busy === f.serial ? <Spinner label="Clearing…" /> : 'Clear'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
