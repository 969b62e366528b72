import type { RunStore } from './store'

/** Fewest finished runs kept, whatever config.scripts.keepRuns says. */
const MIN_KEEP_RUNS = 10

/** Keeps the newest config.scripts.keepRuns finished runs: the older go, a few at a time, as new ones finish. */
export class RunsKept {
  private finishedSincePrune = 0

  constructor(
    private readonly runs: RunStore,
    private readonly keepRuns: () => number,
    private readonly log: (level: 'warn', message: string) => void,
  ) {}

  /** One run finished: every tenth of the limit (at most 100), the older ones are deleted. */
  finished(): void {
    const keep = this.keep()
    if (++this.finishedSincePrune < Math.min(100, Math.max(1, Math.floor(keep / 10)))) return
    this.finishedSincePrune = 0
    this.prune()
  }

  prune(): void {
    try {
      this.runs.prune(this.keep())
    } catch (error) {
      this.log('warn', `old script runs not deleted: ${String(error)}`)
    }
  }

  private keep(): number {
    return Math.max(MIN_KEEP_RUNS, this.keepRuns())
  }
}
