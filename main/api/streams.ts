import type { BenchStreams, StreamName } from '../../preload/api'
import { STREAMS } from '../../preload/api'

/** One UI client (an Electron window or a WebSocket): receives the streams it subscribed to. */
export interface StreamConnection {
  subscribe(stream: string, on: boolean): void
  close(): void
}

type Sink = (stream: StreamName, batch: unknown) => void

/**
 * Fans core events out to UI clients in batches. A burst (10,000 simulated CPEs informing, a script
 * printing in a loop) becomes a few messages a second per stream instead of one per event, and
 * devices.updated keeps only the latest state of each device within a batch.
 */
export class StreamHub {
  private readonly connections = new Set<{ sink: Sink; streams: Set<StreamName> }>()
  private readonly pending = new Map<StreamName, { items: unknown[]; keyed: Map<string, unknown> }>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false

  constructor(private readonly flushMs = 50) {}

  connect(sink: Sink): StreamConnection {
    const connection = { sink, streams: new Set<StreamName>() }
    this.connections.add(connection)
    return {
      subscribe: (stream, on) => {
        if (!(STREAMS as readonly string[]).includes(stream)) return
        if (on) connection.streams.add(stream as StreamName)
        else connection.streams.delete(stream as StreamName)
      },
      close: () => void this.connections.delete(connection),
    }
  }

  /** True when some client listens to the stream (so producers can skip work nobody sees). */
  wanted(stream: StreamName): boolean {
    for (const c of this.connections) if (c.streams.has(stream)) return true
    return false
  }

  /** Queues one item; with a key, a later item with the same key replaces it within the batch. */
  push<S extends StreamName>(stream: S, item: BenchStreams[S][number], key?: string): void {
    if (this.closed || !this.wanted(stream)) return
    let entry = this.pending.get(stream)
    if (!entry) {
      entry = { items: [], keyed: new Map() }
      this.pending.set(stream, entry)
    }
    if (key === undefined) entry.items.push(item)
    else entry.keyed.set(key, item)
    this.timer ??= setTimeout(() => this.flush(), this.flushMs)
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const pending = [...this.pending]
    this.pending.clear()
    for (const [stream, entry] of pending) {
      const batch = [...entry.items, ...entry.keyed.values()]
      if (batch.length === 0) continue
      for (const c of this.connections) {
        if (!c.streams.has(stream)) continue
        try {
          c.sink(stream, batch)
        } catch {
          // A client that went away mid-send is removed by its transport; the others still get it.
        }
      }
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.pending.clear()
    this.connections.clear()
  }
}
