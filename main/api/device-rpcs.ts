import type { ActionResult, DeviceCapabilities, RpcInfo } from '../../preload/api'
import type { Bench } from '../core/bench'
import { action, known, serialArg } from './devices'
import { NotFoundError } from './errors'
import { nonEmpty } from './validate'

/** States an RPC can be sent again from: it ended without the answer it asked for. */
const RETRYABLE: readonly RpcInfo['state'][] = ['fault', 'timeout', 'cancelled', 'error']

function failed(r: RpcInfo): boolean {
  return RETRYABLE.includes(r.state) || r.transfer?.state === 'failed'
}

/** The RPCs tab's Cancel and Retry, and the device page's capabilities panel. */
export function deviceRpcHandlers(bench: Bench) {
  const rpcOf = (serialValue: unknown, idValue: unknown): { serial: string; rpc: RpcInfo } => {
    const serial = serialArg(serialValue)
    known(bench, serial)
    const id = nonEmpty(idValue, 'RPC id', 128)
    const rpc = bench.acs.rpcs(serial).find((r) => r.id === id)
    if (!rpc)
      throw new NotFoundError(`RPC ${id} is not among ${serial}'s recent RPCs (only the last 50 per device are kept).`)
    return { serial, rpc }
  }
  return {
    'devices.cancelRpc': async ([serialValue, idValue]: unknown[]): Promise<ActionResult> => {
      const { rpc } = rpcOf(serialValue, idValue)
      if (rpc.state !== 'queued' && rpc.state !== 'sent')
        return { ok: false, message: `${rpc.method} is already over (${rpc.state}): nothing to cancel.` }
      const was = rpc.state
      return bench.acs.cancel(rpc.id)
        ? {
            ok: true,
            message:
              was === 'queued'
                ? `${rpc.method} cancelled: it was never sent.`
                : // The CPE may still carry it out: only the ACS stops waiting (its answer is still stored).
                  `${rpc.method} cancelled: the ACS stopped waiting, but the device had it already and may still carry it out.`,
          }
        : { ok: false, message: `${rpc.method} finished before it could be cancelled.` }
    },
    'devices.retryRpc': async ([serialValue, idValue]: unknown[]): Promise<ActionResult> => {
      const { rpc } = rpcOf(serialValue, idValue)
      if (!failed(rpc))
        return { ok: false, message: `${rpc.method} did not fail (${rpc.state}): only a failed RPC can be retried.` }
      // Retrying the request a device was marked unstable on also clears the mark (acs.retry).
      return action(`Retry ${rpc.method}`, async () => {
        await bench.acs.retry(rpc.id, { source: 'ui', holdSessionMs: bench.config.cwmp.holdSessionMs })
        return `${rpc.method} sent again: the device answered.`
      })
    },
    'devices.capabilities': async ([serialValue]: unknown[]): Promise<DeviceCapabilities> => {
      const serial = serialArg(serialValue)
      known(bench, serial)
      return bench.acs.capabilities(serial)
    },
  }
}
