import type { AcsMethod, AcsRequest, ResponseFor } from '../../cwmp/types'
import type { ReadResult, RpcOptions } from '../../acs/types'
import type { LuaErrorValue, LuaJs } from '../protocol'
import { field } from './args'
import type { HostContext } from './context'
import { rpcErrorValue } from './errors'

/** How one RPC is sent: from a call's options table ({ timeout_ms = …, wait_for_device = … }). */
export interface RpcCallOptions {
  timeoutMs?: number
  waitForDevice?: boolean
}

export function rpcOptions(fn: string, options: Record<string, LuaJs>, argIndex: number): RpcCallOptions {
  const timeoutMs = field(fn, options, 'timeout_ms', 'number', argIndex)
  const waitForDevice = field(fn, options, 'wait_for_device', 'boolean', argIndex)
  return {
    ...(timeoutMs !== undefined ? { timeoutMs: Math.max(1000, Math.min(timeoutMs, 24 * 3_600_000)) } : {}),
    ...(waitForDevice !== undefined ? { waitForDevice } : {}),
  }
}

/**
 * Sends one RPC through the ACS (which wakes the device with a connection request when it is not
 * in a session) and waits for the answer. Never throws for what the device or network did: those
 * come back as the Lua error value.
 */
export function executeRpc<M extends AcsMethod>(
  ctx: HostContext,
  serial: string,
  request: Extract<AcsRequest, { method: M }>,
  options: RpcCallOptions = {},
): Promise<{ ok: true; response: ResponseFor<M> } | { ok: false; error: LuaErrorValue }> {
  return call(ctx, (o) => ctx.acs.execute(serial, request, o), options)
}

/** A read through RpcExecutor.readValues: partial paths work on CPEs that do not take them. */
export function readRpc(
  ctx: HostContext,
  serial: string,
  names: string[],
  options: RpcCallOptions = {},
): Promise<{ ok: true; response: ReadResult } | { ok: false; error: LuaErrorValue }> {
  return call(ctx, (o) => ctx.acs.readValues(serial, names, o), options)
}

async function call<T>(
  ctx: HostContext,
  send: (options: RpcOptions) => Promise<T>,
  options: RpcCallOptions,
): Promise<{ ok: true; response: T } | { ok: false; error: LuaErrorValue }> {
  ctx.setWaiting('rpc')
  try {
    const response = await send({
      source: `script:${ctx.runId}`,
      signal: ctx.signal,
      holdSessionMs: ctx.holdSessionMs,
      onUnreachable: options.waitForDevice ? 'wait' : 'fail',
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    })
    return { ok: true, response }
  } catch (error) {
    return { ok: false, error: rpcErrorValue(error) }
  } finally {
    ctx.setWaiting(null)
  }
}
