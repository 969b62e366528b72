import { useState } from 'react'
import type { DryRunReport, DryRunStep, ProfileRecord } from '../../preload/api'
import { bench } from '../lib/bench'
import { messageOf, useLoad, useStream } from '../lib/hooks'
import { ErrorNote, Note, Spinner } from './ui'

const PILL = { 'would-apply': 'info', held: 'ok', 'would-fail': 'error', 'not-reached': 'unknown', pending: 'unknown' }
const LABEL = {
  'would-apply': 'would apply',
  held: 'already holds',
  'would-fail': 'would fail',
  'not-reached': 'not reached',
  pending: 'waiting',
}

/**
 * A profile's "Dry run…" (docs/profiles.md, "Dry run"): its steps on one temporary simulated CPE
 * of a device's model (with that device's stored values) or of the profile's match, in a bench of
 * the dry run's own. The device itself is not contacted and nothing is stored.
 */
export function ProfileDryRun({ profile, onClose }: { profile: ProfileRecord; onClose: () => void }) {
  const devices = useLoad(() => bench.devices.list({ limit: 1000, sort: 'serial' }), [])
  const [kind, setKind] = useState<'device' | 'match'>('device')
  const [serial, setSerial] = useState('')
  const [productClass, setProductClass] = useState('')
  const [running, setRunning] = useState(false)
  const [report, setReport] = useState<DryRunReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const rows = devices.data?.rows ?? []
  const chosen = serial || rows[0]?.serial || ''
  // Without a device to stand in for, only the profile's match is left.
  const target = rows.length === 0 ? 'match' : kind

  // Progress: the report as it changes (the simulated CPE started, each step ended).
  useStream('profiles.dryRuns', (batch) => {
    if (!running) return
    const mine = batch.filter((r) => r.profile === profile.name)
    if (mine.length) setReport(mine[mine.length - 1]!)
  })

  const start = async () => {
    setError(null)
    setReport(null)
    setRunning(true)
    try {
      const pc = productClass.trim()
      setReport(
        await bench.profiles.dryRun(
          profile.name,
          target === 'device' ? { serial: chosen } : pc ? { productClass: pc } : {},
        ),
      )
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setRunning(false)
    }
  }

  return (
    <div className="card form" data-testid="dry-run" data-profile={profile.name}>
      <strong>Dry run of &quot;{profile.name}&quot;</strong>
      <span className="hint">
        Runs the steps on one temporary simulated CPE of the same model, started for the dry run and removed after it:
        the device itself is not contacted, and no run, provisioning state or event is stored.
      </span>
      <fieldset className="dry-run-target" disabled={running}>
        <legend>Against</legend>
        <label className="check">
          <input
            type="radio"
            name={`dry-run-target-${profile.id}`}
            checked={target === 'device'}
            disabled={rows.length === 0}
            onChange={() => setKind('device')}
            data-testid="dry-run-target-device"
          />{' '}
          a stand-in for a device (its model, versions and stored values)
        </label>
        <label>
          Device
          <select
            value={chosen}
            disabled={target !== 'device'}
            onChange={(e) => setSerial(e.target.value)}
            data-testid="dry-run-device"
          >
            {rows.map((d) => (
              <option key={d.serial} value={d.serial}>
                {d.serial} — {d.productClass || d.model || 'unknown model'} {d.softwareVersion}
              </option>
            ))}
          </select>
        </label>
        {devices.data && rows.length === 0 && (
          <span className="hint">No device has informed this bench yet: dry-run against the profile&apos;s match.</span>
        )}
        <label className="check">
          <input
            type="radio"
            name={`dry-run-target-${profile.id}`}
            checked={target === 'match'}
            onChange={() => setKind('match')}
            data-testid="dry-run-target-match"
          />{' '}
          a default simulated CPE of the profile&apos;s match
        </label>
        <label>
          Product class (empty: the match&apos;s)
          <input
            value={productClass}
            disabled={target !== 'match'}
            placeholder={profile.match.productClass ?? 'BM632w'}
            onChange={(e) => setProductClass(e.target.value)}
            data-testid="dry-run-product-class"
          />
        </label>
      </fieldset>
      <div className="actions">
        <button className="primary" disabled={running} onClick={() => void start()} data-testid="dry-run-start">
          {running ? 'Dry run under way…' : 'Start dry run'}
        </button>
        {running && (
          <button onClick={() => void bench.profiles.stopDryRun()} data-testid="dry-run-stop">
            Stop
          </button>
        )}
        <button onClick={onClose} disabled={running}>
          Close
        </button>
      </div>
      {running && <Spinner label={report?.message ?? 'Starting the dry run…'} />}
      {error && (
        <ErrorNote
          error={`Dry run not started: ${error} Nothing ran and nothing changed; fix the target or the profile and start again.`}
        />
      )}
      {report && <DryRunResult report={report} done={!running} />}
    </div>
  )
}

function DryRunResult({ report, done }: { report: DryRunReport; done: boolean }) {
  const failed = report.steps.some((s) => s.outcome === 'would-fail')
  const id = report.identity
  return (
    <div data-testid="dry-run-report" data-state={report.state}>
      <p className="small">
        Simulated {id.productClass} ({id.manufacturer}, OUI {id.oui}, software {id.softwareVersion || 'unknown'})
        {report.device ? ` standing in for ${report.device}, with ${report.storedValues} of its stored values.` : '.'}
      </p>
      {done && (
        <Note kind={report.state === 'failed' || failed ? 'warn' : 'ok'} testId="dry-run-summary" state={report.state}>
          {report.message}
          {failed &&
            ' Fix what the failing step says (a file missing from the library, a value the CPE refuses), then dry-run again.'}
        </Note>
      )}
      <ol className="dry-run-steps">
        {report.steps.map((s) => (
          <Step key={s.index} s={s} />
        ))}
      </ol>
    </div>
  )
}

function Step({ s }: { s: DryRunStep }) {
  return (
    <li data-testid="dry-run-step" data-outcome={s.outcome}>
      <span className={`pill ${PILL[s.outcome]}`}>{LABEL[s.outcome]}</span>{' '}
      <span className="mono small">{s.summary}</span>
      {s.detail && <div className="small muted">{s.detail}</div>}
    </li>
  )
}
