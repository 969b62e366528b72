import { EventEmitter } from 'node:events'
import type { DeviceRecord, LoggedEvent } from './store/types'

/**
 * One map of event names to payload types. Writers (ACS sessions, script runs, the sync relay)
 * emit after their SQLite transaction commits; the UI, waiting scripts, triggers and sync listen.
 * Features above this layer (scripts, sync) add their events to this interface from their own
 * types module (`declare module '../events'`), so the bus never imports them and every listener
 * is still type-checked.
 */
export interface BenchEventMap {
  /** A device row was created or changed (inform, status change, alias edit). */
  'device.updated': { device: DeviceRecord }
  /** An Inform was accepted. `events` are the raw CWMP event codes, e.g. "0 BOOTSTRAP", "M Reboot". */
  'device.informed': {
    device: DeviceRecord
    events: { code: string; commandKey: string }[]
    /** The Inform's ParameterList (the ACS always sets it; "4 VALUE CHANGE" names what changed there). */
    parameters?: { name: string; value: string }[]
  }
  /** Stored parameters of a device changed. */
  'parameters.updated': { serial: string; names: string[]; removedPrefixes: string[] }
  /** A row was appended to the event log. */
  'event.logged': LoggedEvent
  'session.started': { serial: string; sessionId: string; remoteAddress: string }
  'session.ended': {
    serial: string
    sessionId: string
    reason: SessionEndReason
    durationMs: number
    remoteAddress: string
    /** CWMP event codes of the session's Inform. */
    events: string[]
    /** ACS-initiated RPCs answered (or faulted) in the session. */
    rpcs: number
  }
  'rpc.queued': { serial: string; rpcId: string; method: string }
  /** The RPC went out to the CPE in a session. */
  'rpc.sent': { serial: string; rpcId: string; method: string }
  'rpc.completed': {
    serial: string
    rpcId: string
    method: string
    ok: boolean
    fault?: { code: number; message: string }
    error?: string
    durationMs: number
  }
  /** TransferComplete / AutonomousTransferComplete from a CPE; faultCode 0 means success. */
  'transfer.completed': {
    serial: string
    commandKey: string
    /** Download or Upload when it answers one this ACS sent (matched by CommandKey). */
    method?: 'Download' | 'Upload'
    rpcId?: string
    autonomous: boolean
    fault: { code: number; message: string }
    startTime: string
    completeTime: string
  }
  /** A CPE asked for a file (RequestDownload); a script or the UI may answer with a Download. */
  'transfer.requested': { serial: string; fileType: string; fileTypeArg: { name: string; value: string }[] }
}

export type SessionEndReason = 'completed' | 'timeout' | 'fault' | 'error' | 'replaced' | 'closed'

export type BenchEventName = keyof BenchEventMap

export type Listener<K extends BenchEventName> = (payload: BenchEventMap[K]) => void

/** An emit function, e.g. one that waits for the writer's transaction to commit. */
export type Emit = <K extends BenchEventName>(name: K, payload: BenchEventMap[K]) => void

export class BenchEvents {
  private readonly emitter = new EventEmitter()

  /** Called when a listener throws: one broken listener must not break the writer that emitted. */
  constructor(private readonly onListenerError: (name: string, error: unknown) => void = () => {}) {
    // Many listeners are normal here: each open UI view, each waiting script, each trigger.
    this.emitter.setMaxListeners(0)
  }

  emit<K extends BenchEventName>(name: K, payload: BenchEventMap[K]): void {
    this.emitter.emit(name, payload)
  }

  /** Subscribe; returns the unsubscribe function. */
  on<K extends BenchEventName>(name: K, listener: Listener<K>): () => void {
    const guarded = (payload: BenchEventMap[K]) => {
      try {
        listener(payload)
      } catch (error) {
        this.onListenerError(name, error)
      }
    }
    this.emitter.on(name, guarded)
    return () => {
      this.emitter.off(name, guarded)
    }
  }

  listenerCount(name: BenchEventName): number {
    return this.emitter.listenerCount(name)
  }
}
