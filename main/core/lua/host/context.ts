import type { RpcExecutor } from '../../acs/types'
import type { BenchEvents } from '../../events'
import type { FileTransfers } from '../../files/service'
import type { Store } from '../../store'
import type { LuaJs } from '../protocol'
import type { CwmpEventQueue } from './cwmp-events'

/** What a host function may use while it serves one call of one run. */
export interface HostContext {
  runId: string
  /** The run's target devices (DEVICE / DEVICES in the script). */
  targets: string[]
  acs: RpcExecutor
  /** The file library, for download{file = …} and upload() (absent where the bench has none). */
  files?: FileTransfers
  /** Keep the device's session open this long after each RPC, for the script's next one (ms). */
  holdSessionMs: number
  store: Store
  events: BenchEvents
  /** Aborted when the run ends (finished, stopped, killed): cancel queued RPCs, stop waiting. */
  signal: AbortSignal
  /** The run's last_error() slot: dispatch.ts writes the err of each call (null on success). */
  lastError: { value: LuaJs }
  /** This run's queue of CWMP events, opened on first use (listen_to_cwmp_event). */
  cwmpEvents(): CwmpEventQueue
  /** Tells the UI what the run waits for. */
  setWaiting(what: 'rpc' | 'event' | null): void
}

/** A function scripts can call; one per file in this folder, listed in ./index.ts. */
export interface HostFunction {
  name: string
  /** Lua signature for docs and the editor's autocomplete, e.g. "get_device(serial)". */
  signature: string
  /** One sentence: what it returns. */
  summary: string
  /** A few lines of Lua that use it, for the editor and docs. */
  example: string
  /**
   * The script API page's functions return one value, as the page says (so
   * `table.insert(t, get_device(sn))` works): the err of a failure goes only to last_error().
   */
  oneValue?: boolean
  call(ctx: HostContext, args: LuaJs[]): Promise<LuaJs[]>
}
