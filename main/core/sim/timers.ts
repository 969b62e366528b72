/** setTimeout's ceiling (about 24.8 days); longer intervals are clamped to it. */
const MAX_DELAY = 2 ** 31 - 1

/**
 * A CPE's timers, all cancellable at once on stop. Unref'd: the connection-request listeners,
 * not a pending inform, keep a simulator process alive. One timer per pending thing, none polling.
 */
export class Timers {
  private readonly named = new Map<string, NodeJS.Timeout>()
  private readonly anonymous = new Set<NodeJS.Timeout>()

  once(ms: number, fn: () => void): void {
    const t = setTimeout(
      () => {
        this.anonymous.delete(t)
        fn()
      },
      Math.min(Math.max(0, ms), MAX_DELAY),
    )
    t.unref()
    this.anonymous.add(t)
  }

  /**
   * Runs fn every ms (the first time after firstMs) until cancelled; re-arming replaces the
   * previous schedule of that name.
   */
  repeat(name: string, ms: number, fn: () => void, firstMs = ms): void {
    this.cancel(name)
    const arm = (delay: number) => {
      const t = setTimeout(
        () => {
          arm(ms)
          fn()
        },
        Math.min(Math.max(1, delay), MAX_DELAY),
      )
      t.unref()
      this.named.set(name, t)
    }
    arm(firstMs)
  }

  cancel(name: string): void {
    const t = this.named.get(name)
    if (t) clearTimeout(t)
    this.named.delete(name)
  }

  clear(): void {
    for (const t of this.named.values()) clearTimeout(t)
    for (const t of this.anonymous) clearTimeout(t)
    this.named.clear()
    this.anonymous.clear()
  }
}
