import type { BenchEvents, Emit } from '../events'
import type { Journal } from '../journal'
import { RpcQueue } from './rpc-queue'

/** The ACS's RPC queue, with a row in the event log for each RPC that timed out or was cancelled unsent. */
export function journaledQueue(journal: Journal, emit: Emit): RpcQueue {
  return new RpcQueue(
    emit,
    (entry) =>
      journal.recordQuietly({
        kind: 'rpc',
        severity: 'warn',
        serial: entry.info.serial,
        summary: `${entry.info.method} timed out after ${Math.round(entry.timeoutMs / 1000)} s (${entry.info.state === 'queued' ? 'never sent: the device did not come' : 'no answer'})`,
        detail: { rpcId: entry.info.id, method: entry.info.method, source: entry.info.source },
        soapOut: entry.soapOut ?? null,
      }),
    (entry) =>
      journal.recordQuietly({
        kind: 'rpc',
        serial: entry.info.serial,
        summary: `${entry.info.method} cancelled before it was sent`,
        detail: { rpcId: entry.info.id, method: entry.info.method, source: entry.info.source },
      }),
  )
}

/** A Download or Upload is over when its TransferComplete says so: its RPC row shows that. */
export function followTransfers(events: BenchEvents, queue: RpcQueue): void {
  events.on('transfer.completed', (t) => {
    if (!t.rpcId) return
    const failed = t.fault.code !== 0
    queue.noteTransfer(t.serial, t.rpcId, {
      state: failed ? 'failed' : 'done',
      ...(failed ? { fault: t.fault } : {}),
    })
    events.emit('rpc.completed', {
      serial: t.serial,
      rpcId: t.rpcId,
      method: t.method ?? 'Download',
      ok: !failed,
      ...(failed ? { fault: t.fault } : {}),
      durationMs: 0,
    })
  })
}
