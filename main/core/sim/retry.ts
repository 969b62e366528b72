/**
 * TR-069 3.2.1.1 session retry policy: after the n-th consecutive failure wait a random time in
 * [m·k^(n-1), m·k^n) seconds, with m = CWMPRetryMinimumWaitInterval (default 5) and
 * k = CWMPRetryIntervalMultiplier / 1000 (default 2); n stops growing at 10.
 */
export function retryDelayMs(retryCount: number, minimumWaitSeconds = 5, multiplier = 2000): number {
  const n = Math.min(Math.max(retryCount, 1), 10)
  const k = multiplier / 1000
  const low = minimumWaitSeconds * k ** (n - 1)
  const high = minimumWaitSeconds * k ** n
  return Math.round((low + Math.random() * (high - low)) * 1000)
}
