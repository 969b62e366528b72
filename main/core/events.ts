import { EventEmitter } from 'node:events'
import type { DeviceRecord, LoggedEvent } from './store/types'

/**
 * One map of event names to payload types. Writers (ACS sessions, script runs, the sync relay)
 * emit after their SQLite transaction commits; the UI, waiting scripts, triggers and sync listen.
 * Modules add their own events here so every listener is type-checked.
 */
export interface BenchEventMap {
  /** A device row was created or changed (inform, status change, alias edit). */
  'device.updated': { device: DeviceRecord }
  /** An Inform was accepted. `events` are the raw CWMP event codes, e.g. "0 BOOTSTRAP", "M Reboot". */
  'device.informed': { device: DeviceRecord; events: { code: string; commandKey: string }[] }
  /** Stored parameters of a device changed. */
  'parameters.updated': { serial: string; names: string[]; removedPrefixes: string[] }
  /** A row was appended to the event log. */
  'event.logged': LoggedEvent
  'session.started': { serial: string; sessionId: string; remoteAddress: string }
  'session.ended': { serial: string; sessionId: string; reason: SessionEndReason; durationMs: number }
  'rpc.queued': { serial: string; rpcId: string; method: string }
  'rpc.completed': {
    serial: string
    rpcId: string
    method: string
    ok: boolean
    fault?: { code: number; message: string }
    error?: string
    durationMs: number
  }
}

export type SessionEndReason = 'completed' | 'timeout' | 'fault' | 'error' | 'replaced' | 'closed'

export type BenchEventName = keyof BenchEventMap

export type Listener<K extends BenchEventName> = (payload: BenchEventMap[K]) => void

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
