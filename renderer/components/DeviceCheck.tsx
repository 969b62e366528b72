import { useState } from 'react'
import type { CheckReport, CheckResult } from '../../preload/api'
import { bench } from '../lib/bench'
import { messageOf } from '../lib/hooks'
import { ErrorNote, Note, Spinner } from './ui'

const PILL = { pass: 'ok', fail: 'error', 'not-supported': 'warn', 'not-observed': 'warn' } as const
const LABEL = { pass: 'pass', fail: 'fail', 'not-supported': 'not supported', 'not-observed': 'not observed' } as const

/**
 * The one-click CPE check (docs/check.md): runs the documented checks against this device and shows
 * each verdict with its reason and the SOAP exchanged. Not destructive unless the technician ticks
 * FactoryReset.
 */
export function DeviceCheck({ serial, canSend }: { serial: string; canSend: boolean }) {
  const [running, setRunning] = useState(false)
  const [report, setReport] = useState<CheckReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [factoryReset, setFactoryReset] = useState(false)
  const [probe, setProbe] = useState(false)

  const run = async () => {
    if (factoryReset && !window.confirm(`Factory reset ${serial} as part of the check? Its configuration is erased.`))
      return
    setRunning(true)
    setError(null)
    setReport(null)
    try {
      setReport(await bench.devices.check(serial, { factoryReset, probePartialPaths: probe }))
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setRunning(false)
    }
  }

  return (
    <div data-testid="device-check">
      <p className="hint">
        Checks the basics of TR-069 on this device: Inform, GetRPCMethods, names and values, SetParameterValues with its
        ParameterKey, Add/DeleteObject, attributes, connection request, a reboot and a small download from this bench.
        Values are set to what they were and added objects deleted; the device reboots once.
      </p>
      <div className="toolbar">
        <button disabled={!canSend || running} onClick={() => void run()} data-testid="check-run">
          {running ? 'Checking…' : 'Run CPE check'}
        </button>
        <label>
          <input
            type="checkbox"
            checked={probe}
            onChange={(e) => setProbe(e.target.checked)}
            data-testid="check-probe-partial"
          />{' '}
          Send a partial path even if it may crash the device
        </label>
        <label>
          <input
            type="checkbox"
            checked={factoryReset}
            onChange={(e) => setFactoryReset(e.target.checked)}
            data-testid="check-factory-reset"
          />{' '}
          Also FactoryReset (erases its configuration)
        </label>
      </div>
      {running && <Spinner label="Running the checks: the reboot and the download take up to a few minutes…" />}
      <ErrorNote error={error} />
      {report && (
        <>
          <Note
            kind={report.counts.fail ? 'warn' : 'ok'}
            testId="check-summary"
            state={report.counts.fail ? 'failed' : 'passed'}
          >
            {report.counts.pass} passed, {report.counts.fail} failed, {report.counts['not-supported']} not supported
            {report.counts['not-observed']
              ? `, ${report.counts['not-observed']} not observed (needs someone at the CPE)`
              : ''}
            , in {Math.round((report.finishedAt - report.startedAt) / 1000)} s. Each row opens the SOAP exchanged;{' '}
            <span className="mono">bench-acs check {serial} --html FILE</span> writes it as a report.
          </Note>
          {report.results.map((r) => (
            <Result key={r.id} r={r} />
          ))}
        </>
      )}
    </div>
  )
}

function Result({ r }: { r: CheckResult }) {
  return (
    <details className="card" data-testid="check-result" data-check={r.id} data-outcome={r.outcome}>
      <summary>
        <span className={`pill ${PILL[r.outcome]}`}>{LABEL[r.outcome]}</span> <strong>{r.title}</strong>
        <div className="small">{r.detail}</div>
      </summary>
      {r.evidence.length === 0 && <p className="hint">Nothing was exchanged for this check.</p>}
      {r.evidence.map((e, i) => (
        <div key={i}>
          <div className="small strong">{e.summary}</div>
          {e.soapOut && <pre className="mono small check-soap">{e.soapOut}</pre>}
          {e.soapIn && <pre className="mono small check-soap">{e.soapIn}</pre>}
        </div>
      ))}
    </details>
  )
}
