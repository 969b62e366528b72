import { useState } from 'react'
import type { ActionResult, RpcInfo } from '../../preload/api'
import { bench } from '../lib/bench'
import { clock, duration } from '../lib/format'
import { messageOf, useLoad, useStream } from '../lib/hooks'
import { UnstableNote } from './DeviceCapabilities'
import { Empty, ErrorNote, Note, Spinner } from './ui'

const STATE_CLASS: Record<RpcInfo['state'], string> = {
  queued: 'info',
  sent: 'info',
  done: 'ok',
  fault: 'error',
  timeout: 'warn',
  cancelled: 'muted',
  error: 'error',
}

/** Ended without the answer it asked for, or its transfer failed: the row offers Retry. */
function failed(r: RpcInfo): boolean {
  return (
    r.state === 'fault' ||
    r.state === 'timeout' ||
    r.state === 'cancelled' ||
    r.state === 'error' ||
    r.transfer?.state === 'failed'
  )
}

/**
 * A Download or Upload the CPE accepted for later (status 1) is over only with its TransferComplete
 * (TR-069 A.3.3.2): the row says pending / done / failed with the fault it reported.
 */
function Transfer({ t }: { t: NonNullable<RpcInfo['transfer']> }) {
  const cls = t.state === 'done' ? 'ok' : t.state === 'failed' ? 'error' : 'info'
  const label = t.state === 'pending' ? 'waiting for TransferComplete' : `transfer ${t.state}`
  return (
    <span className={`pill ${cls}`} data-testid="rpc-transfer" data-state={t.state}>
      {label}
    </span>
  )
}

/** Queued and recent RPCs of one device, with their arguments, faults and transfers, updated live. */
export function RpcList({ serial, canSend }: { serial: string; canSend: boolean }) {
  const rpcs = useLoad(() => (canSend ? bench.devices.rpcs(serial) : Promise.resolve([])), [serial, canSend], {
    live: true,
  })
  const [busy, setBusy] = useState<string | null>(null)
  const [result, setResult] = useState<ActionResult | null>(null)
  useStream('rpcs.changed', (batch) => {
    if (batch.some((b) => b.serial === serial)) rpcs.reload()
  })
  if (!canSend) return <Empty title="The ACS is not running in this build." />
  if (rpcs.loading && !rpcs.data) return <Spinner label="Loading RPCs…" />

  const act = async (id: string, call: () => Promise<ActionResult>) => {
    setBusy(id)
    setResult(null)
    try {
      setResult(await call())
    } catch (e) {
      setResult({ ok: false, message: messageOf(e) })
    } finally {
      setBusy(null)
      rpcs.reload()
    }
  }
  return (
    <div data-testid="rpc-list">
      <UnstableNote serial={serial} />
      <ErrorNote error={rpcs.error} onRetry={rpcs.reload} />
      {result && (
        <Note kind={result.ok ? 'ok' : 'warn'} testId="rpc-action-result" state={result.ok ? 'ok' : 'failed'}>
          {result.message}
        </Note>
      )}
      {rpcs.data?.length === 0 ? (
        <Empty title="No RPCs queued or sent recently.">
          Reboot, set a value or refresh a subtree, or run a script: what goes to the device shows here.
        </Empty>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th>Method</th>
              <th>Arguments</th>
              <th>State</th>
              <th>From</th>
              <th>Queued</th>
              <th>Took</th>
              <th>Fault / error</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rpcs.data?.map((r) => {
              const fault = r.transfer?.fault ?? r.fault
              return (
                <tr key={r.id} data-testid="rpc-row" data-state={r.state} data-method={r.method}>
                  <td className="mono">{r.method}</td>
                  <td className="mono small" data-testid="rpc-args">
                    {r.args || '—'}
                  </td>
                  <td>
                    <span className={`pill ${STATE_CLASS[r.state]}`}>{r.state}</span>{' '}
                    {r.transfer && <Transfer t={r.transfer} />}
                  </td>
                  <td className="mono small">{r.source}</td>
                  <td className="mono small">{clock(r.queuedAt)}</td>
                  <td className="nowrap">{r.finishedAt ? duration(r.finishedAt - r.queuedAt) : '—'}</td>
                  <td className="small" data-testid="rpc-fault">
                    {fault ? `${fault.code} ${fault.message}` : (r.error ?? '')}
                  </td>
                  <td className="nowrap">
                    {(r.state === 'queued' || r.state === 'sent') && (
                      <button
                        disabled={busy !== null}
                        title={r.state === 'sent' ? 'The device has it already: it may still carry it out.' : undefined}
                        onClick={() => act(r.id, () => bench.devices.cancelRpc(serial, r.id))}
                        data-testid="rpc-cancel"
                      >
                        Cancel
                      </button>
                    )}
                    {failed(r) && (
                      <button
                        disabled={busy !== null}
                        onClick={() => act(r.id, () => bench.devices.retryRpc(serial, r.id))}
                        data-testid="rpc-retry"
                      >
                        {busy === r.id ? 'Retrying…' : 'Retry'}
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </div>
  )
}
