import type { RunTarget, ScriptEnv } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { useLoad, type Loaded } from '../../lib/hooks'
import { useStoredState } from '../../lib/stored'
import { Spinner } from '../ui'

type Kind = 'devices' | 'all' | 'none'
const isKind = (v: unknown): v is Kind => v === 'devices' || v === 'all' || v === 'none'
const isText = (v: unknown): v is string => typeof v === 'string'

/** A run on more devices than this asks first, naming the count: "all devices" may be thousands. */
export const CONFIRM_OVER = 5

/**
 * Where the next run goes: one device, several (comma-separated), all of them, or none. While the
 * last run started here is still going, Run waits and Stop ends it (the whole batch).
 */
export function RunBar(props: {
  scriptName: string
  running: boolean
  /** The last run started here is still active (any run of its batch). */
  active: boolean
  stopping: boolean
  envs: Loaded<ScriptEnv[]>
  /** `env`: the environment's name; undefined: the default one (if any). */
  onRun: (target: RunTarget, env?: string) => void
  onStop: () => void
}) {
  const { running, onRun } = props
  // The target is the technician's, not the script's: it stays when another script is opened.
  const [kind, setKind] = useStoredState<Kind>('run.kind', 'devices', isKind)
  const [serials, setSerials] = useStoredState('run.serials', '', isText)
  // The environment is remembered like the target ("" = the default one).
  const [envName, setEnvName] = useStoredState('run.env', '', isText)
  const envList = props.envs.data ?? []
  const fallback = envList.find((e) => e.isDefault)
  const env = envList.find((e) => e.name === envName)
  // Suggestions: the first devices of the store (simulated CPEs included), as a datalist.
  const devices = useLoad(() => bench.devices.list({ limit: 200 }), [])
  const list = serials
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  const ready = kind !== 'devices' || list.length > 0
  const count = kind === 'devices' ? list.length : kind === 'all' ? (devices.data?.total ?? 0) : 1
  const run = () => {
    if (
      count > CONFIRM_OVER &&
      !window.confirm(
        `Run “${props.scriptName}” on ${count.toLocaleString('en')} devices? Each device gets its own run.`,
      )
    )
      return
    onRun(kind === 'devices' ? { kind, serials: list } : { kind }, env?.name)
  }
  return (
    <form
      className="runbar"
      onSubmit={(e) => {
        e.preventDefault()
        if (ready && !running && !props.active) run()
      }}
    >
      <label className="muted small" htmlFor="run-target-kind">
        Run on
      </label>
      <select
        id="run-target-kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as Kind)}
        data-testid="run-target-kind"
      >
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
            aria-label="Device serials"
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
      <span className="runbar-env">
        <label className="muted small" htmlFor="run-env">
          with
        </label>
        <select
          id="run-env"
          className="env-select"
          value={env?.name ?? ''}
          onChange={(e) => setEnvName(e.target.value)}
          title="The environment the script reads as env (Environments tab)"
          data-testid="run-env"
        >
          <option value="">{fallback ? `default (${fallback.name})` : 'no environment'}</option>
          {envList.map((e) => (
            <option key={e.id} value={e.name}>
              {e.name}
            </option>
          ))}
        </select>
      </span>
      <button
        type="submit"
        className="primary"
        disabled={!ready || running || props.active}
        title={props.active ? 'The last run is still going: stop it or wait for it to end.' : undefined}
        data-testid="script-run"
      >
        {running ? (
          <Spinner label="Starting…" />
        ) : kind === 'devices' && list.length > 1 ? (
          `Run on ${list.length} devices`
        ) : (
          'Run'
        )}
      </button>
      {props.active && (
        <button
          type="button"
          className="danger"
          onClick={props.onStop}
          disabled={props.stopping}
          data-testid="script-stop"
        >
          {props.stopping ? <Spinner label="Stopping…" /> : 'Stop'}
        </button>
      )}
      <span className="muted small">Checks and saves first; Ctrl/⌘+S saves.</span>
    </form>
  )
}
