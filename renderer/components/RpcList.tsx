import type { RpcInfo } from '../../preload/api'
import { bench } from '../lib/bench'
import { clock, duration } from '../lib/format'
import { useLoad, useStream } from '../lib/hooks'
import { Empty, ErrorNote, Spinner } from './ui'

const STATE_CLASS: Record<RpcInfo['state'], string> = {
  queued: 'info',
  sent: 'info',
  done: 'ok',
  fault: 'error',
  timeout: 'warn',
  cancelled: 'muted',
  error: 'error',
}

/** Queued and recent RPCs of one device, with their faults, updated live. */
export function RpcList({ serial, canSend }: { serial: string; canSend: boolean }) {
  const rpcs = useLoad(() => (canSend ? bench.devices.rpcs(serial) : Promise.resolve([])), [serial, canSend], {
    live: true,
  })
  useStream('rpcs.changed', (batch) => {
    if (batch.some((b) => b.serial === serial)) rpcs.reload()
  })
  if (!canSend) return <Empty title="The ACS is not running in this build." />
  if (rpcs.loading && !rpcs.data) return <Spinner label="Loading RPCs…" />
  return (
    <div data-testid="rpc-list">
      <ErrorNote error={rpcs.error} onRetry={rpcs.reload} />
      {rpcs.data?.length === 0 ? (
        <Empty title="No RPCs queued or sent recently.">
          Reboot, set a value or refresh a subtree, or run a script: what goes to the device shows here.
        </Empty>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th>Method</th>
              <th>State</th>
              <th>From</th>
              <th>Queued</th>
              <th>Took</th>
              <th>Fault / error</th>
            </tr>
          </thead>
          <tbody>
            {rpcs.data?.map((r) => (
              <tr key={r.id} data-testid="rpc-row" data-state={r.state}>
                <td className="mono">{r.method}</td>
                <td>
                  <span className={`pill ${STATE_CLASS[r.state]}`}>{r.state}</span>
                </td>
                <td className="mono small">{r.source}</td>
                <td className="mono small">{clock(r.queuedAt)}</td>
                <td className="nowrap">{r.finishedAt ? duration(r.finishedAt - r.queuedAt) : '—'}</td>
                <td className="small">{r.fault ? `${r.fault.code} ${r.fault.message}` : (r.error ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
