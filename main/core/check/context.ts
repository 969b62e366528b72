import type { RpcExecutor } from '../acs'
import type { AcsMethod, AcsRequest, ResponseFor } from '../cwmp/types'
import type { BenchEvents, BenchEventMap, BenchEventName } from '../events'
import type { Store } from '../store'
import type { CheckEvidence, CheckOutcome } from './types'

/** What a check may use of the bench. */
export interface CheckDeps {
  store: Store
  events: BenchEvents
  acs: RpcExecutor & {
    wake(serial: string): Promise<{ status: number; durationMs: number }>
    /** What the ACS learned of the device: whether it is known to answer partial paths. */
    capabilities(serial: string): { partialPaths: 'unknown' | 'yes' | 'no' }
  }
  /**
   * The device as one of the bench's own simulated CPEs, to change a value on it as its user
   * would; undefined for a real CPE (the bench cannot touch one but through the ACS).
   */
  simulated?(serial: string): { changeLocally(name: string, value: string): { notification: number } } | undefined
  /** A Download request of a small file from the bench's own file server (main/core/files). */
  downloadRequest(serial: string, commandKey: string): Promise<Extract<AcsRequest, { method: 'Download' }>>
}

/** A check's verdict with its reason; thrown or returned by a check. */
export class Verdict {
  constructor(
    readonly outcome: CheckOutcome,
    readonly detail: string,
  ) {}
}

export const pass = (detail: string) => new Verdict('pass', detail)
export const fail = (detail: string) => new Verdict('fail', detail)
export const unsupported = (detail: string) => new Verdict('not-supported', detail)
export const notObserved = (detail: string) => new Verdict('not-observed', detail)

/** What one check runs against: the device, the RPCs it sends (logged with their SOAP), the bus. */
export class CheckContext {
  /** Values learned by earlier checks (the data model root, names listed by GetParameterNames). */
  readonly memo = new Map<string, unknown>()
  private seqs: number[] = []

  constructor(
    readonly deps: CheckDeps,
    readonly serial: string,
    readonly root: string,
    readonly waitMs: number,
    readonly probePartialPaths: boolean,
  ) {}

  execute<M extends AcsMethod>(request: Extract<AcsRequest, { method: M }>): Promise<ResponseFor<M>> {
    // Held open for the next check's RPC: one session for the whole run where the CPE allows it.
    return this.deps.acs.execute(this.serial, request, { source: 'check', holdSessionMs: 5_000 })
  }

  /** Resolves with the first bus event of this device that matches, or undefined after waitMs. */
  waitFor<K extends BenchEventName>(
    name: K,
    match: (payload: BenchEventMap[K]) => boolean,
  ): { promise: Promise<BenchEventMap[K] | undefined>; cancel(): void } {
    let off = () => {}
    let timer: NodeJS.Timeout | undefined
    const promise = new Promise<BenchEventMap[K] | undefined>((resolve) => {
      off = this.deps.events.on(name, (p) => {
        if ((p as { serial?: string }).serial !== undefined && (p as { serial?: string }).serial !== this.serial) return
        if (!match(p)) return
        off()
        clearTimeout(timer)
        resolve(p)
      })
      timer = setTimeout(() => {
        off()
        resolve(undefined)
      }, this.waitMs)
    })
    return {
      promise,
      cancel: () => {
        off()
        clearTimeout(timer)
      },
    }
  }

  /** Starts collecting this device's logged events as the current check's evidence. */
  collect(): () => CheckEvidence[] {
    this.seqs = []
    const off = this.deps.events.on('event.logged', (e) => {
      if (e.serial === this.serial) this.seqs.push(e.seq)
    })
    return () => {
      off()
      return this.seqs.map((seq) => this.evidence(seq)).filter((e): e is CheckEvidence => e !== undefined)
    }
  }

  /** An event already in the log (the Inform the device sent before the run), as evidence. */
  evidence(seq: number): CheckEvidence | undefined {
    const event = this.deps.store.events.query({ serial: this.serial, afterSeq: seq - 1, limit: 1 })[0]
    if (!event || event.seq !== seq) return undefined
    const soap = event.hasSoap ? this.deps.store.events.soap(seq) : undefined
    return { summary: event.summary, soapOut: soap?.soapOut ?? null, soapIn: soap?.soapIn ?? null }
  }
}
