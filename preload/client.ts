/**
 * Builds window.bench (the BenchApi) on top of any transport: Electron IPC in the preload, a
 * WebSocket in the browser. Both shells share this file, so the renderer cannot tell them apart.
 */
import { CHANNELS, type BenchApi, type CallReply, type Channel, type StreamName } from './api'

export interface Transport {
  call(channel: Channel, args: unknown[]): Promise<CallReply>
  /** Tells the server to start or stop sending a stream to this client. */
  subscribe(stream: StreamName, on: boolean): void
}

export interface Client {
  api: BenchApi
  /** Hand every stream batch that arrives to this. */
  deliver(stream: string, batch: unknown): void
  /** Streams with listeners now (a reconnecting transport subscribes them again). */
  activeStreams(): StreamName[]
  setConnection(state: 'open' | 'reconnecting'): void
}

export class BenchCallError extends Error {
  constructor(name: string, message: string) {
    super(message)
    this.name = name
  }
}

export function createClient(transport: Transport): Client {
  const listeners = new Map<StreamName, Set<(batch: unknown) => void>>()
  const connectionListeners = new Set<(state: 'open' | 'reconnecting') => void>()
  let connection: 'open' | 'reconnecting' = 'open'

  const api: Record<string, unknown> = {}
  for (const channel of CHANNELS) {
    const [area, method] = channel.split('.') as [string, string]
    const group = (api[area] ??= {}) as Record<string, unknown>
    group[method] = async (...args: unknown[]) => {
      const reply = await transport.call(channel, args)
      if (reply.ok) return reply.value
      throw new BenchCallError(reply.error.name, reply.error.message)
    }
  }
  api.on = (stream: StreamName, listener: (batch: unknown) => void) => {
    let set = listeners.get(stream)
    if (!set) {
      set = new Set()
      listeners.set(stream, set)
    }
    // Wrap so that adding the same function twice gives two independent subscriptions.
    const entry = (batch: unknown) => listener(batch)
    set.add(entry)
    if (set.size === 1) transport.subscribe(stream, true)
    return () => {
      const current = listeners.get(stream)
      if (!current?.delete(entry)) return
      if (current.size === 0) {
        listeners.delete(stream)
        transport.subscribe(stream, false)
      }
    }
  }
  api.onConnection = (listener: (state: 'open' | 'reconnecting') => void) => {
    connectionListeners.add(listener)
    listener(connection)
    return () => void connectionListeners.delete(listener)
  }

  return {
    api: Object.freeze(api) as unknown as BenchApi,
    deliver(stream, batch) {
      for (const listener of listeners.get(stream as StreamName) ?? []) {
        try {
          listener(batch)
        } catch (error) {
          console.error(`listener for ${stream} failed`, error)
        }
      }
    },
    activeStreams: () => [...listeners.keys()],
    setConnection(state) {
      if (state === connection) return
      connection = state
      for (const listener of connectionListeners) listener(state)
    },
  }
}
