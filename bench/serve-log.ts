// What `bench-acs serve`'s session output costs, next to what a session costs. A session's own cost
// comes from the acs suite's sessions (50 concurrent CPEs, Inform + GetParameterValues + 204, the
// median of a few runs); the output's cost per session from the real session-line code
// (main/cli/session-lines.ts) fed session.ended events, writing to a real file, either one
// synchronous write per line (what console.log per session did) or buffered (serve now). A
// throughput ratio with and without output cannot resolve a few microseconds on a busy machine.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BenchEvents } from '../main/core/events'
import { LineBuffer, logSessions } from '../main/cli/session-lines'
import { sessionRate } from './acs'
import type { BenchSuite } from './types'

const CLIENTS = Number(process.env.BENCH_SERVE_LOG_CLIENTS ?? 50)
const SESSIONS = 100_000

export const serveLogSuite: BenchSuite = {
  name: 'serve-log',
  async run(report) {
    const rates = [await sessionRate(CLIENTS), await sessionRate(CLIENTS), await sessionRate(CLIENTS)]
    const sessionUs = 1e6 / median(rates)
    const dir = mkdtempSync(join(tmpdir(), 'bench-serve-log-'))
    try {
      const perLine = Math.min(outputUs('per-line', dir), outputUs('per-line', dir))
      const buffered = Math.min(outputUs('buffered', dir), outputUs('buffered', dir))
      report({
        name: 'serve output per session, lines buffered: one write per 200 ms or 500 lines (serve now)',
        value: buffered,
        unit: 'µs',
        baseline: { name: 'one synchronous write per session line (before)', value: perLine, unit: 'µs' },
        ratio: { value: buffered / perLine, meaning: 'cost now ÷ cost before', aim: '≤ 0.5' },
      })
      report({
        name: "serve output's share of a session, buffered",
        value: buffered,
        unit: 'µs',
        baseline: {
          name: `one session at ${CLIENTS} concurrent CPEs (1 / median sessions/s)`,
          value: sessionUs,
          unit: 'µs',
        },
        ratio: { value: (buffered / sessionUs) * 1000, meaning: "per mille of a session's cost", aim: '≤ 1' },
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** µs per session.ended event through serve's session lines, written to a file in `dir`. */
function outputUs(variant: 'per-line' | 'buffered', dir: string): number {
  const events = new BenchEvents()
  const fd = openSync(join(dir, `${variant}.log`), 'w')
  const buffer = new LineBuffer((chunk) => writeSync(fd, chunk))
  const print =
    variant === 'per-line' ? (line: string) => writeSync(fd, `${line}\n`) : (line: string) => buffer.push(line)
  // Summaries off: every session is a line, the most this output can cost.
  const stop = logSessions(events, print, { fastPerSecond: Infinity })
  const start = performance.now()
  for (let i = 0; i < SESSIONS; i++)
    events.emit('session.ended', {
      serial: `BENCH${String(i % 5000).padStart(4, '0')}`,
      sessionId: 'x',
      reason: 'completed',
      durationMs: 12,
      remoteAddress: '127.0.0.1',
      events: ['2 PERIODIC'],
      rpcs: 1,
    })
  buffer.flush()
  const us = ((performance.now() - start) * 1000) / SESSIONS
  void stop()
  closeSync(fd)
  return us
}
