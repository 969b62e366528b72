import type { SimStatus } from '../../preload/api'
import { href } from '../lib/router'
import { ErrorNote, Spinner } from './ui'

/**
 * The running (or starting) fleet as it was started — count, model, serials, informs — with its
 * progress and a Stop: shown instead of the start form, so no form suggests other settings run.
 */
export function SimFleet(props: {
  status: SimStatus
  modelLabel: string | null
  stopping: boolean
  onStop: () => void
  error: string | null | undefined
}) {
  const { status } = props
  const prefix = status.serialPrefix ?? 'SIM'
  const interval = status.periodicInformInterval
  return (
    <section className="card sim-fleet" data-testid="sim-status">
      <h2>{status.starting ? 'Starting' : 'Running'}</h2>
      <dl className="facts" data-testid="sim-settings">
        <dt>CPEs</dt>
        <dd data-testid="sim-running-count">{status.count.toLocaleString()}</dd>
        <dt>Data model</dt>
        <dd data-testid="sim-running-model">{props.modelLabel ?? 'unknown'}</dd>
        <dt>Serials</dt>
        <dd className="mono" data-testid="sim-running-serials">
          {status.count > 1 ? `${prefix}000001 … ${prefix}${String(status.count).padStart(6, '0')}` : `${prefix}000001`}
        </dd>
        <dt>Periodic inform</dt>
        <dd data-testid="sim-running-interval">
          {interval === null ? 'as the data model sets it' : interval === 0 ? 'off' : `every ${interval} s`}
        </dd>
        <dt>Informing</dt>
        <dd className="mono">{status.acsUrl ?? 'unknown'}</dd>
      </dl>
      <div className="progress-line">
        <span data-testid="sim-progress">
          {status.informed} of {status.count} CPEs have informed
        </span>
        {status.informed < status.count && <Spinner />}
      </div>
      <div className="progress">
        <div
          className="progress-bar"
          style={{ width: `${status.count ? (100 * status.informed) / status.count : 0}%` }}
        />
      </div>
      <div className="serials">
        {status.serials.map((s) => (
          <a key={s} href={href('devices', s)} className="mono">
            {s}
          </a>
        ))}
        {status.count > status.serials.length && status.serials.length > 0 && (
          <span className="muted">… and {status.count - status.serials.length} more</span>
        )}
      </div>
      <p className="hint">To change these settings, stop this fleet and start a new one.</p>
      <div className="actions">
        <button
          type="button"
          className="danger"
          onClick={props.onStop}
          disabled={props.stopping || status.starting}
          data-testid="sim-stop"
        >
          {props.stopping ? <Spinner label="Stopping…" /> : 'Stop all simulated CPEs'}
        </button>
      </div>
      <ErrorNote error={props.error} />
    </section>
  )
}
