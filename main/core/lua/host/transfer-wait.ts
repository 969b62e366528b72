import type { BenchEventMap } from '../../events'
import type { HostContext } from './context'
import { luaError } from './errors'
import type { LuaJs } from '../protocol'

/** How long wait = true waits for TransferComplete by default, ms. */
export const DEFAULT_TRANSFER_WAIT_MS = 10 * 60_000

type Completed = BenchEventMap['transfer.completed']

/**
 * Listens for the TransferComplete of one transfer (by device and CommandKey). Call before sending
 * the RPC: a fast CPE can report it in the very next session.
 */
export function awaitTransfer(
  ctx: HostContext,
  serial: string,
  commandKey: string,
  timeoutMs: number,
): { completed: Promise<Completed | null>; stop(): void } {
  let stop = () => {}
  const completed = new Promise<Completed | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs)
    const onAbort = () => resolve(null)
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    const off = ctx.events.on('transfer.completed', (e) => {
      if (e.serial === serial && e.commandKey === commandKey) resolve(e)
    })
    stop = () => {
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      off()
    }
  })
  return { completed, stop: () => stop() }
}

/** The Lua result of a waited-for transfer: true, {start_time, complete_time, …} or false, err. */
export async function transferResult(
  ctx: HostContext,
  what: 'download' | 'upload',
  serial: string,
  commandKey: string,
  completed: Promise<Completed | null>,
  fallback: { startTime: string; completeTime: string },
  extra: () => Record<string, LuaJs> = () => ({}),
): Promise<LuaJs[]> {
  ctx.setWaiting('rpc')
  const done = await completed
  ctx.setWaiting(null)
  if (!done)
    return [false, luaError('timeout', `no TransferComplete from ${serial} for command key "${commandKey}" in time`)]
  if (done.fault.code !== 0)
    return [
      false,
      luaError(
        'fault',
        `the ${what} failed: fault ${done.fault.code}${done.fault.message ? ` (${done.fault.message})` : ''}`,
        { code: done.fault.code, fault_string: done.fault.message },
      ),
    ]
  return [
    true,
    {
      start_time: done.startTime || fallback.startTime,
      complete_time: done.completeTime || fallback.completeTime,
      ...extra(),
    },
  ]
}
