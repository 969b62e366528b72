import type { BenchEventMap, BenchEvents } from '../../events'

/** One CWMP event of one Inform, as listen_to_cwmp_event hands it out. */
export interface CwmpEvent {
  serial: string
  /** "2 PERIODIC", "M Reboot", … as the CPE sent it. */
  code: string
  commandKey: string
  at: number
}

export interface EventFilter {
  /** Any of these ("2", "2 PERIODIC", "PERIODIC", "M Reboot"); empty = any event. */
  events: string[]
  /** Any of these serials; empty = any device. */
  serials: string[]
}

/** Events kept for a run between two listen calls; past it the oldest go (and the run is told). */
export const QUEUE_MAX = 1000

/** Whether a CWMP event code matches what a script asked for: the number, the full code or its name. */
export function eventMatches(code: string, wanted: string): boolean {
  const c = code.trim().toUpperCase()
  const w = wanted.trim().toUpperCase()
  if (c === w) return true
  const space = c.indexOf(' ')
  if (space < 0) return false
  return c.slice(0, space) === w || c.slice(space + 1) === w
}

/** "2 PERIODIC" → "2" (what the page's listen_to_cwmp_event returns); other codes stay whole. */
export function eventNumber(code: string): string {
  const m = /^(\d+) /.exec(code.trim())
  return m ? m[1]! : code.trim()
}

function matches(e: CwmpEvent, f: EventFilter): boolean {
  if (f.serials.length > 0 && !f.serials.includes(e.serial)) return false
  return f.events.length === 0 || f.events.some((w) => eventMatches(e.code, w))
}

/**
 * The one subscription to "device.informed" that every listening run shares, so a script that
 * listens in a loop for days adds nothing to the bus per call.
 */
export class CwmpEventHub {
  private readonly queues = new Set<CwmpEventQueue>()
  private readonly unsubscribe: () => void

  constructor(events: BenchEvents) {
    this.unsubscribe = events.on('device.informed', (p) => this.dispatch(p))
  }

  open(onDrop?: (dropped: number) => void): CwmpEventQueue {
    const queue = new CwmpEventQueue(() => this.queues.delete(queue), onDrop)
    this.queues.add(queue)
    return queue
  }

  get openQueues(): number {
    return this.queues.size
  }

  close(): void {
    this.unsubscribe()
    for (const q of [...this.queues]) q.close()
  }

  private dispatch(p: BenchEventMap['device.informed']): void {
    if (this.queues.size === 0) return
    const at = Date.now()
    const events = p.events.map((e) => ({ serial: p.device.serial, code: e.code, commandKey: e.commandKey, at }))
    for (const q of this.queues) for (const e of events) q.push(e)
  }
}

/**
 * One run's events, from the run's start. Events that arrive while the script is not waiting
 * stay here (the last QUEUE_MAX) for the next call that matches; a call discards the older ones
 * its filter does not match, so a loop with one filter never stalls on others.
 */
export class CwmpEventQueue {
  private buffer: CwmpEvent[] = []
  private waiter: { filter: EventFilter; resolve: (e: CwmpEvent | null) => void } | undefined
  private dropped = 0
  private closed = false

  constructor(
    private readonly onClose: () => void,
    private readonly onDrop?: (dropped: number) => void,
  ) {}

  push(e: CwmpEvent): void {
    if (this.closed) return
    if (this.waiter && matches(e, this.waiter.filter)) {
      const { resolve } = this.waiter
      this.waiter = undefined
      resolve(e)
      return
    }
    if (this.waiter) return
    this.buffer.push(e)
    if (this.buffer.length > QUEUE_MAX) {
      this.buffer.shift()
      this.dropped++
    }
  }

  get size(): number {
    return this.buffer.length
  }

  /** The next matching event; null when the timeout passes or the signal aborts. */
  next(filter: EventFilter, signal: AbortSignal, timeoutMs?: number): Promise<CwmpEvent | null> {
    if (this.closed || signal.aborted) return Promise.resolve(null)
    if (this.dropped > 0) {
      this.onDrop?.(this.dropped)
      this.dropped = 0
    }
    const index = this.buffer.findIndex((e) => matches(e, filter))
    if (index >= 0) {
      const e = this.buffer[index]!
      this.buffer = this.buffer.slice(index + 1)
      return Promise.resolve(e)
    }
    this.buffer = []
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const finish = (e: CwmpEvent | null) => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        if (this.waiter?.resolve === finish) this.waiter = undefined
        resolve(e)
      }
      const onAbort = () => finish(null)
      signal.addEventListener('abort', onAbort, { once: true })
      if (timeoutMs !== undefined) timer = setTimeout(() => finish(null), timeoutMs)
      this.waiter = { filter, resolve: finish }
    })
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.buffer = []
    this.waiter?.resolve(null)
    this.waiter = undefined
    this.onClose()
  }
}
