import type { BenchEvents } from '../core/events'

/**
 * Lines for a terminal, written in batches: what is pushed is kept and written in one write at most
 * `intervalMs` later, or at once when `maxLines` wait. A fleet's sessions cost one write per
 * interval instead of one per session. `flush` writes what waits (at stop, before exit).
 */
export class LineBuffer {
  private lines: string[] = []
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly write: (chunk: string) => void,
    private readonly options: { intervalMs?: number; maxLines?: number } = {},
  ) {}

  push(line: string): void {
    this.lines.push(line)
    if (this.lines.length >= (this.options.maxLines ?? 500)) this.flush()
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.intervalMs ?? 200)
      // Waiting lines never keep the process alive: stop and exit flush them.
      this.timer.unref()
    }
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.lines.length === 0) return
    const chunk = this.lines.join('\n') + '\n'
    this.lines = []
    this.write(chunk)
  }
}

export interface SessionLinesOptions {
  /** Sessions per second above which lines give way to summaries (default 20)… */
  fastPerSecond?: number
  /** …once it lasted this many whole seconds in a row (default 3). */
  fastSeconds?: number
  /** Seconds a summary line covers (default 5). */
  summarySeconds?: number
}

/**
 * `serve`'s session output: one line per session while a person can read them; when sessions come
 * faster (a fleet), one summary line every few seconds instead. Problems (security, faults,
 * connection requests that failed) keep a line each either way.
 */
export function logSessions(
  events: BenchEvents,
  print: (line: string) => void,
  options: SessionLinesOptions = {},
): () => Promise<void> {
  const fast = options.fastPerSecond ?? 20
  const fastSeconds = options.fastSeconds ?? 3
  const summarySeconds = options.summarySeconds ?? 5
  const time = () => new Date().toTimeString().slice(0, 8)
  let summarising = false
  /** Sessions ended in each of the last seconds, newest last. */
  const perSecond: number[] = []
  let thisSecond = 0
  const period = { sessions: 0, failed: 0, seconds: 0, faulted: new Set<string>() }

  const summarise = () => {
    const { sessions, failed, seconds, faulted } = period
    print(
      `${time()}  … ${sessions} session${sessions === 1 ? '' : 's'} in ${seconds} s, ${failed} failed; ${faulted.size} with faults`,
    )
    Object.assign(period, { sessions: 0, failed: 0, seconds: 0 })
    faulted.clear()
  }

  const tick = setInterval(() => {
    perSecond.push(thisSecond)
    thisSecond = 0
    if (perSecond.length > fastSeconds) perSecond.shift()
    if (!summarising) {
      if (perSecond.length === fastSeconds && perSecond.every((n) => n > fast)) {
        summarising = true
        print(
          `${time()}  Sessions come faster than one can read (${perSecond[perSecond.length - 1]}/s): a summary every ${summarySeconds} s; problems keep their own lines.`,
        )
      }
      return
    }
    period.seconds++
    if (period.seconds < summarySeconds) return
    const slow = period.sessions <= fast * period.seconds
    summarise()
    if (slow) {
      summarising = false
      perSecond.length = 0
      print(`${time()}  Back to one line per session.`)
    }
  }, 1000)
  tick.unref()

  const offSession = events.on('session.ended', (s) => {
    thisSecond++
    if (summarising) {
      period.sessions++
      if (s.reason !== 'completed' && s.reason !== 'replaced') period.failed++
      return
    }
    const seconds = s.durationMs >= 1000 ? `${(s.durationMs / 1000).toFixed(1)} s` : `${s.durationMs} ms`
    print(
      `${time()}  ${s.serial}  ${s.remoteAddress}  [${s.events.join(', ') || 'no events'}]  ${s.rpcs} RPC${s.rpcs === 1 ? '' : 's'}  ${seconds}  ${s.reason}`,
    )
  })
  const offProblems = events.on('event.logged', (e) => {
    if (summarising && e.kind === 'fault' && e.session) period.faulted.add(e.session)
    if (e.kind === 'security' || (e.kind === 'fault' && e.severity !== 'info') || e.kind === 'connection-request')
      if (e.severity === 'warn' || e.severity === 'error') print(`${time()}  ! ${e.kind}: ${e.summary}`)
  })
  return async () => {
    clearInterval(tick)
    offSession()
    offProblems()
    // What the last summary had not covered yet.
    if (summarising && period.sessions > 0) {
      period.seconds = Math.max(period.seconds, 1)
      summarise()
    }
  }
}
