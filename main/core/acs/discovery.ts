import { CwmpFaultError } from '../cwmp/faults'
import type { Journal } from '../journal'
import type { ReadResult, RpcExecutor, RpcOptions } from './types'
import { errorMessage } from '../errors'

export interface DiscoveryDeps {
  read(serial: string, names: string[], options: RpcOptions): Promise<ReadResult>
  execute: RpcExecutor['execute']
  journal: Journal
  holdSessionMs: () => number
  /** Discovery of the device is over: a session kept open for its next step need wait no longer. */
  done(serial: string): void
}

/**
 * Reads what identifies a new (or bootstrapped) device in the session its Inform opened: its
 * DeviceInfo. and ManagementServer. objects (model, versions, connection request username,
 * inform interval — most Informs carry none of them) and its RPC methods. The objects are read
 * with reads.ts, so a CPE that crashes or faults on partial paths is read leaf by leaf instead.
 */
export class Discovery {
  /** Devices being discovered: a CPE that gives up and informs BOOTSTRAP again is not asked twice. */
  private readonly running = new Set<string>()

  constructor(private readonly d: DiscoveryDeps) {}

  /** Queues the first RPCs at once (synchronously), so they go in the session being opened. */
  start(serial: string, root: string): void {
    if (!root || this.running.has(serial)) return
    this.running.add(serial)
    const options: RpcOptions = {
      source: 'discovery',
      // A CPE that dies meanwhile is asked again when it informs again, not woken in vain.
      onUnreachable: 'wait',
      holdSessionMs: this.d.holdSessionMs(),
    }
    const steps = [
      ...['DeviceInfo.', 'ManagementServer.'].map((object) => this.d.read(serial, [`${root}.${object}`], options)),
      // TR-069 A.4.1: every CPE must support GetRPCMethods; a fault (some do not) is only logged.
      this.d.execute(serial, { method: 'GetRPCMethods' }, options),
    ].map((step) => step.catch((error: unknown) => this.failed(serial, error)))
    void Promise.all(steps).finally(() => {
      this.running.delete(serial)
      this.d.done(serial)
    })
  }

  private failed(serial: string, error: unknown): void {
    // A CPE fault was logged with its answer; other failures (unstable, timed out) are said here.
    if (error instanceof CwmpFaultError) return
    this.d.journal.recordQuietly({
      kind: 'system',
      severity: 'warn',
      serial,
      summary: `Discovery of ${serial} incomplete: ${errorMessage(error)}`,
    })
  }
}
