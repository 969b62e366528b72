// The soak's CPEs in a process of their own (the ACS gets the other core): our simulator's fleet
// pointed at the ACS URL given, printing one JSON line of counts every second until SIGTERM.
// Usage: tsx bench/soak-fleet.ts <acsUrl> <count> <periodicInformIntervalSeconds>
import { startSimulator } from '../main/core/sim'

const [acsUrl, count, interval] = process.argv.slice(2)
const counts = { ok: 0, failed: 0, started: 0, errors: {} as Record<string, number> }
const fleet = await startSimulator({
  acsUrl: acsUrl!,
  count: Number(count),
  periodicInformInterval: Number(interval),
  serialPrefix: 'SOAK',
  waitForBootstrap: false,
  retryMinimumWaitInterval: 1,
})
fleet.on((event) => {
  if (event.name === 'session-start') counts.started++
  if (event.name === 'session-end') {
    if ((event.detail as { ok?: boolean } | undefined)?.ok) counts.ok++
    else {
      counts.failed++
      // Why, in a few words (numbers and serials dropped so that alike failures add up).
      const why = String((event.detail as { error?: unknown } | undefined)?.error ?? 'unknown')
        .replace(/SOAK\d+/g, 'SOAK…')
        .replace(/\d+/g, 'N')
        .slice(0, 120)
      counts.errors[why] = (counts.errors[why] ?? 0) + 1
    }
  }
})
const timer = setInterval(() => process.stdout.write(`${JSON.stringify(counts)}\n`), 1000)
// The counts when told to stop: sessions cut short by the stop itself are not the ACS's failures.
process.on('SIGTERM', () => {
  clearInterval(timer)
  process.stdout.write(`${JSON.stringify({ ...counts, final: true })}\n`)
  void fleet.stop().then(() => process.exit(0))
})
