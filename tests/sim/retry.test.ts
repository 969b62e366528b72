import { describe, expect, it } from 'vitest'
import { retryDelayMs } from '../../main/core/sim/retry'

describe('session retry back-off (TR-069 3.2.1.1)', () => {
  it('waits in [m·k^(n-1), m·k^n) seconds and stops growing at the 10th retry', () => {
    const ranges: [number, number, number][] = [
      [1, 5_000, 10_000],
      [2, 10_000, 20_000],
      [5, 80_000, 160_000],
      [10, 2_560_000, 5_120_000],
      [25, 2_560_000, 5_120_000],
    ]
    for (const [n, low, high] of ranges)
      for (let i = 0; i < 50; i++) {
        const ms = retryDelayMs(n)
        expect(ms).toBeGreaterThanOrEqual(low)
        expect(ms).toBeLessThanOrEqual(high)
      }
    // The model's CWMPRetryMinimumWaitInterval and CWMPRetryIntervalMultiplier change both ends.
    for (let i = 0; i < 50; i++) {
      const ms = retryDelayMs(2, 10, 3000)
      expect(ms).toBeGreaterThanOrEqual(30_000)
      expect(ms).toBeLessThanOrEqual(90_000)
    }
  })
})
