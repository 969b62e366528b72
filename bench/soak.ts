// The soak (`npm run bench -- soak`; never part of `npm run bench` without its name, nor of npm
// test): BENCH_SOAK_CPES (2,000) of our simulated CPEs, periodic informs every BENCH_SOAK_INTERVAL
// (60; the fleet informs in step, so ~67 sessions/s at each peak — more than a 2-core machine
// serves at 30) s, for BENCH_SOAK_SECONDS (600), against the ACS with a BENCH_SOAK_CAP_MB (200) MiB cap
// (what `serve --max-db-mb` sets), syncing to a real nats-server with JetStream (temporary store
// folder, loopback). The fleet runs in a child process, so the ACS has a core of its own.
//
// Ten minutes stand for months: rows younger than retention.keepMinutes are never deleted to meet
// the cap (60 by default), so the soak keeps BENCH_SOAK_KEEP_MINUTES (1) and runs a retention pass
// every BENCH_SOAK_RETENTION_SECONDS (15) instead of every minute.
//
// BENCH_SOAK_PREFILL_MB (150) first fills the store with that much history from earlier days,
// synced to the server long ago (the NATS cursor starts past it), so that the cap is actually
// reached during the run and retention has to make room while CPEs inform; 0 starts empty.
//
// At the end (fleet stopped, sync given a minute to catch up, one last pass) it asserts:
// - the database (page_count × page_size, what the cap measures) is under the cap;
// - nothing owed to the server was lost: the streams hold exactly the rows the relay counts as
//   acknowledged (its cursor), and every row after the cursor is still in the outbox. Sync runs
//   with the Oktopus option, so every row is one message (the raw Inform in Oktopus' "cwmp"
//   stream, the rest in ours); no discovery and no offline sweep, so no row is split in parts and
//   no offline status is added.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { connect } from 'nats'
import { startNatsServer } from '../tests/sync/nats-server'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openBenchStore } from '../main/core/database'
import { buildStore } from './retention'
import { bytesOnDisk, databaseFile, startBenchAcs } from './servers'
import type { BenchSuite } from './types'

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600)
const CPES = Number(process.env.BENCH_SOAK_CPES ?? 2000)
const INTERVAL = Number(process.env.BENCH_SOAK_INTERVAL ?? 60)
const CAP_MB = Number(process.env.BENCH_SOAK_CAP_MB ?? 200)
const KEEP_MINUTES = Number(process.env.BENCH_SOAK_KEEP_MINUTES ?? 1)
const RETENTION_SECONDS = Number(process.env.BENCH_SOAK_RETENTION_SECONDS ?? 15)
const PREFILL_MB = Number(process.env.BENCH_SOAK_PREFILL_MB ?? 150)
const STREAM = 'SOAK'
const MB = 1024 * 1024

const mb = (b: number) => (b / MB).toFixed(1)

export const soakSuite: BenchSuite = {
  name: 'soak',
  optIn: true,
  async run(report) {
    const nats = await startNatsServer()
    const dir = mkdtempSync(join(tmpdir(), 'bench-acs-soak-'))
    const prefilled = PREFILL_MB > 0 ? prefill(dir, PREFILL_MB) : { bytes: 0, seq: 0 }
    if (prefilled.seq) console.log(`soak: store prefilled with ${mb(prefilled.bytes)} MiB of synced history`)
    const acs = await startBenchAcs(
      { retention: { maxMb: CAP_MB, keepMinutes: KEEP_MINUTES, intervalMs: RETENTION_SECONDS * 1000 } },
      { dir },
    )
    const { bench } = acs
    const file = databaseFile(acs.dir)
    const nat = () => bench.sync.status().targets.find((t) => t.target === 'nats')!
    let fleetCounts = { ok: 0, failed: 0, started: 0, errors: {} as Record<string, number> }
    let maxBytes = 0
    const fleet = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/soak-fleet.ts', acs.url, String(CPES), String(INTERVAL)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const exited = new Promise<void>((resolve) => fleet.once('exit', () => resolve()))
    // The last counts are those printed when told to stop ("final"): sessions the stop cut short
    // are not the ACS's failures.
    let final = false
    createInterface({ input: fleet.stdout! }).on('line', (line) => {
      try {
        if (final) return
        const counts = JSON.parse(line) as typeof fleetCounts & { final?: boolean }
        final = Boolean(counts.final)
        fleetCounts = counts
      } catch {
        console.log(`fleet: ${line}`)
      }
    })
    try {
      await bench.sync.configure({
        nats: { url: nats.url, stream: STREAM, subjectPrefix: 'soak', oktopus: true },
      })
      const started = performance.now()
      const line = () => {
        const size = bench.store.space.sizeBytes()
        maxBytes = Math.max(maxBytes, size)
        const t = nat()
        const s = Math.round((performance.now() - started) / 1000)
        console.log(
          `t=${s}s sessions ok ${fleetCounts.ok} failed ${fleetCounts.failed} | db ${mb(size)} MiB (free ${mb(bench.store.space.freeBytes())}) | outbox rows ${bench.store.outbox.count()} last seq ${bench.store.outbox.maxSeq()} | nats cursor ${t.cursor} backlog ${t.backlog} ${t.state}`,
        )
      }
      while (performance.now() - started < SECONDS * 1000) {
        await new Promise((r) => setTimeout(r, Math.min(15_000, SECONDS * 1000 - (performance.now() - started))))
        line()
      }
      fleet.kill('SIGTERM')
      await exited
      const drainUntil = performance.now() + 60_000
      while (performance.now() < drainUntil && nat().backlog > 0) await new Promise((r) => setTimeout(r, 500))
      bench.sync.pause('nats')
      await bench.retention.pass()
      line()
      const elapsed = (performance.now() - started) / 1000
      const cursor = nat().cursor
      // Rows the server took in this run (the prefilled history was acknowledged before it).
      const sent = cursor - prefilled.seq
      const lastSeq = bench.store.outbox.maxSeq()
      const kept = bench.store.outbox.countAfter(cursor)
      const nc = await connect({ servers: nats.url })
      const jsm = await nc.jetstreamManager()
      // Ours, plus Oktopus' "cwmp" stream for the raw Informs (kept there for its durable consumer).
      const inStream = (await jsm.streams.info(STREAM)).state.messages + (await jsm.streams.info('cwmp')).state.messages
      await nc.close()
      const size = bench.store.space.sizeBytes()
      report({
        name: `soak: sessions completed by ${CPES} CPEs in ${elapsed.toFixed(0)} s (failed ${fleetCounts.failed})`,
        value: fleetCounts.ok,
        unit: 'sessions',
      })
      const reasons = Object.entries(fleetCounts.errors).sort((a, b) => b[1] - a[1])
      for (const [why, n] of reasons.slice(0, 5)) console.log(`soak: ${n} sessions failed: ${why}`)
      report({
        name: `soak: database at the end (largest seen ${mb(maxBytes)} MiB; on disk with WAL ${mb(bytesOnDisk(bench.store.db, file))} MiB)`,
        value: size / MB,
        unit: 'MiB',
        baseline: { name: 'cap', value: CAP_MB, unit: 'MiB' },
        ratio: { value: size / (CAP_MB * MB), meaning: 'size ÷ cap', aim: '≤ 1' },
      })
      report({
        name: `soak: outbox rows written in the run; synced ${sent}, in the stream ${inStream}, unsynced kept ${kept} of ${lastSeq - cursor}`,
        value: lastSeq - prefilled.seq,
        unit: 'rows',
      })
      const problems: string[] = []
      if (size > CAP_MB * MB) problems.push(`the database (${mb(size)} MiB) is over its ${CAP_MB} MiB cap`)
      if (inStream !== sent)
        problems.push(`the stream holds ${inStream} messages but the relay counts ${sent} acknowledged`)
      if (kept !== lastSeq - cursor) problems.push(`${lastSeq - cursor - kept} unsynced outbox rows are gone`)
      if (fleetCounts.ok === 0) problems.push('no session completed')
      if (problems.length) throw new Error(`soak failed: ${problems.join('; ')}`)
      console.log('soak: under the cap, nothing unsynced lost')
    } finally {
      if (fleet.exitCode === null) {
        fleet.kill('SIGTERM')
        await exited
      }
      await acs.close()
      await nats.dispose()
    }
  },
}

/**
 * History from earlier days in a new store in `dir` (the retention suite's builder), acknowledged
 * by the NATS target long ago: its cursor starts at the last prefilled row.
 */
function prefill(dir: string, megabytes: number): { bytes: number; seq: number } {
  const { bytes } = buildStore(dir, megabytes)
  const store = openBenchStore(databaseFile(dir))
  try {
    const seq = store.outbox.maxSeq()
    store.db.prepare('INSERT INTO sync_cursors (target, seq) VALUES (?, ?)').run('nats', seq)
    return { bytes, seq }
  } finally {
    store.close()
  }
}
