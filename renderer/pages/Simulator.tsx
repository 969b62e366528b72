import { useEffect, useState } from 'react'
import type { SimStatus } from '../../preload/api'
import { SimFaults } from '../components/SimFaults'
import { SimFleet } from '../components/SimFleet'
import { Empty, ErrorNote, Note, PageHeader, Spinner } from '../components/ui'
import { bench } from '../lib/bench'
import { useApp } from '../lib/context'
import { messageOf, useLoad, useStream } from '../lib/hooks'

export function SimulatorPage() {
  const { acs } = useApp()
  const models = useLoad(() => bench.sim.models(), [])
  const initial = useLoad(() => bench.sim.status(), [], { live: true })
  const [status, setStatus] = useState<SimStatus | null>(null)
  const [count, setCount] = useState(1)
  const [model, setModel] = useState('tr098')
  const [prefix, setPrefix] = useState('SIM')
  const [interval, setIntervalSeconds] = useState(300)
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (initial.data) setStatus(initial.data)
  }, [initial.data])
  useStream('sim.status', (batch) => setStatus(batch[batch.length - 1] ?? null))

  const countOk = Number.isInteger(count) && count >= 1 && count <= 10_000
  const prefixOk = /^[A-Za-z0-9_-]+$/.test(prefix)
  const act = async (what: 'start' | 'stop') => {
    setBusy(what)
    setError(null)
    try {
      setStatus(
        what === 'start'
          ? await bench.sim.start({ count, model, serialPrefix: prefix, periodicInformInterval: interval })
          : await bench.sim.stop(),
      )
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(null)
    }
  }
  // While a fleet runs, its own settings and a Stop replace the start form (one fleet at a time).
  const running = Boolean(status?.running || status?.starting)

  return (
    <div className="page scroll">
      <PageHeader title="Simulator" />
      <p className="muted intro">
        Simulated CPEs inform this ACS like real ones — Inform, RPCs, connection requests, reboots — so you can try
        scripts and settings with no hardware on the bench.
      </p>
      <ErrorNote error={initial.error ?? models.error} />
      {!acs?.listening && (
        <Note kind="warn">The ACS is not listening, so simulated CPEs have nowhere to inform. Check Settings.</Note>
      )}
      {!status ? (
        !initial.error && <Spinner label="Reading what the simulator runs…" />
      ) : running ? (
        <SimFleet
          status={status}
          modelLabel={models.data?.find((m) => m.id === status.model)?.label ?? status.model}
          stopping={busy === 'stop'}
          onStop={() => void act('stop')}
          error={error ?? status.error}
        />
      ) : (
        <form
          className="card form"
          onSubmit={(e) => {
            e.preventDefault()
            void act('start')
          }}
          data-testid="sim-form"
        >
          <div className="row">
            <label>
              Number of CPEs
              <input
                type="number"
                min={1}
                max={10000}
                value={count}
                onChange={(e) => setCount(Number(e.target.value))}
                aria-invalid={!countOk}
                data-testid="sim-count"
              />
            </label>
            <label>
              Data model
              <select value={model} onChange={(e) => setModel(e.target.value)} data-testid="sim-model">
                {(models.data ?? [{ id: 'tr098', label: 'TR-098' }]).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="row">
            <label>
              Serial prefix
              <input
                value={prefix}
                onChange={(e) => setPrefix(e.target.value)}
                aria-invalid={!prefixOk}
                data-testid="sim-prefix"
              />
            </label>
            <label>
              Periodic inform (s, 0 = off)
              <input
                type="number"
                min={0}
                value={interval}
                onChange={(e) => setIntervalSeconds(Number(e.target.value))}
                data-testid="sim-interval"
              />
            </label>
          </div>
          {!countOk && <span className="invalid-text">From 1 to 10,000 CPEs.</span>}
          {!prefixOk && <span className="invalid-text">Letters, digits, - and _ only.</span>}
          <p className="hint">
            Serials are {prefix || 'SIM'}000001, {prefix || 'SIM'}000002, … Each CPE answers connection requests on
            127.0.0.1 with the credentials set in Settings.
          </p>
          <div className="actions">
            <button
              type="submit"
              className="primary"
              disabled={busy !== null || !countOk || !prefixOk || !acs?.listening}
              data-testid="sim-start"
            >
              {busy === 'start' ? (
                <Spinner label="Starting…" />
              ) : (
                `Start ${count} simulated CPE${count === 1 ? '' : 's'}`
              )}
            </button>
          </div>
          <ErrorNote error={error ?? status?.error} />
        </form>
      )}
      {status && !running && <Empty title="No simulated CPEs running." testId="sim-idle" />}
      {status?.running && <SimFaults status={status} onStatus={setStatus} />}
    </div>
  )
}
