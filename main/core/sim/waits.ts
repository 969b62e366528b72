/**
 * A wait that can be cut short: the CPE's retry back-off (a new event wakes it at once) and an
 * injected answer delay (ended when the CPE stops). Cutting short when nothing waits does nothing.
 */
export class Sleep {
  private cut: (() => void) | undefined

  /** Resolves after `ms`, or as soon as wake() is called. */
  async for(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.cut = done
    })
    this.cut = undefined
  }

  /** Ends the wait under way, if any. */
  wake(): void {
    this.cut?.()
  }
}

/** A promise with its resolve and reject, for something that happens later (the first session). */
export interface Deferred {
  promise: Promise<void>
  resolve(): void
  reject(error: Error): void
}

/** A Deferred whose rejection is never unhandled: whoever awaits the promise sees it. */
export function deferred(): Deferred {
  let resolve!: () => void
  let reject!: (e: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => {})
  return { promise, resolve, reject }
}
