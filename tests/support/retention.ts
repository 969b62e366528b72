import { randomBytes } from 'node:crypto'
import type { RetentionService } from '../../main/core/retention'
import type { Store } from '../../main/core/store'

const DAY = 86_400_000

/**
 * Old history for retention to delete: `count` rpc rows of the serial OLD, 40 days old, each with
 * 600 random bytes of SOAP (so they weigh on the size cap too).
 */
export function appendOldHistory(store: Store, count = 2000): void {
  store.transaction(() => {
    for (let i = 0; i < count; i++)
      store.events.append({
        kind: 'rpc',
        serial: 'OLD',
        ts: Date.now() - 40 * DAY + i,
        summary: `old ${i}`,
        soapIn: randomBytes(600).toString('base64'),
      })
  })
}

/**
 * Retention steps one after another, each on its own turn of the event loop, so they interleave
 * with whatever runs meanwhile; `stop()` ends them and resolves with how many ran.
 */
export function pruneMeanwhile(retention: RetentionService): { stop(): Promise<number> } {
  let pruning = true
  let steps = 0
  const loop = (async () => {
    while (pruning) {
      retention.step()
      steps++
      await new Promise<void>((r) => setImmediate(r))
    }
  })()
  return {
    async stop() {
      pruning = false
      await loop
      return steps
    },
  }
}
