// What a periodic session costs the bench that runs for months: SQLite bytes per session on disk,
// and the session's price in bare HTTP requests and its p99 latency with a fresh TCP connection
// per session, as CPEs open one (Inform → InformResponse, empty POST → 204, connection closed).
//
// Bytes: BENCH_STORAGE_SESSIONS (default 2,000) periodic sessions of 50 known CPEs, the file and
// its WAL measured after a checkpoint, before and after. The baseline is the same sessions written
// the way the store did before deflated, shared bodies (commit 4fa08ad): the bench replays every
// event row and outbox row the real ACS wrote into a second file of the same schema, with the
// raw Inform as text in events.soap_in and again in the "inform" outbox row, the InformResponse
// as text in soap_out, one outbox row per event. Device, parameter and capability rows are
// updated in place by a known CPE's session in both ways and left out of the replay.
//
// Cost and p99: the same client drives the ACS and a bare Node HTTP server (one request per
// fresh connection) in the same run. BENCH_STORAGE_CLIENTS=1,50 and BENCH_STORAGE_SECONDS=5.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openBenchStore } from '../main/core/database'
import type { Store } from '../main/core/store'
import { ulid } from '../main/core/ids'
import { freshRequest, measureLoops, periodicInform, periodicSession } from './cpe'
import { bytesOnDisk, databaseFile, startBareServer, startBenchAcs } from './servers'
import type { BenchSuite } from './types'

const SESSIONS = Number(process.env.BENCH_STORAGE_SESSIONS ?? 2000)
const CLIENTS = (process.env.BENCH_STORAGE_CLIENTS ?? '1,50').split(',').map(Number)
const SECONDS = Number(process.env.BENCH_STORAGE_SECONDS ?? 5)
const CPES = 50

export const storageSuite: BenchSuite = {
  name: 'storage',
  async run(report) {
    const bytes = await bytesPerSession()
    report({
      name: `SQLite bytes per periodic session (${bytes.sessions} sessions of ${CPES} CPEs, file + WAL after checkpoint)`,
      value: bytes.ours,
      unit: 'B/session',
      baseline: {
        name: 'the same sessions stored as before (raw Inform twice, uncompressed)',
        value: bytes.legacy,
        unit: 'B/session',
      },
      ratio: { value: bytes.ours / bytes.legacy, meaning: 'bytes now ÷ bytes before', aim: 'value ≤ 4096 B/session' },
    })
    for (const clients of CLIENTS) {
      const bare = await startBareServer()
      const inform = periodicInform('BARE')
      const b = await measureLoops(clients, SECONDS, () => freshRequest(bare.url, inform))
      await bare.close()
      const acs = await startBenchAcs()
      const informs = Array.from({ length: clients }, (_, i) => periodicInform(`FRESH${String(i).padStart(4, '0')}`))
      let s
      try {
        s = await measureLoops(clients, SECONDS, (i) => periodicSession(acs.url, informs[i]!))
      } finally {
        await acs.close()
      }
      const plural = clients === 1 ? '' : 's'
      report({
        name: `periodic session (Inform + empty POST), fresh connection each, ${clients} CPE${plural}`,
        value: s.rate,
        unit: 'sessions/s',
        baseline: {
          name: `bare Node HTTP server, a fresh connection per request, ${clients} client${plural}`,
          value: b.rate,
          unit: 'req/s',
        },
        ratio: { value: b.rate / s.rate, meaning: 'bare requests one session costs', aim: '≤ 6' },
      })
      report({
        name: `CPU per periodic session, fresh connection each, ${clients} CPE${plural} (client and ACS in this process)`,
        value: s.cpuMs,
        unit: 'ms',
        baseline: { name: `CPU per bare request, fresh connection, same client`, value: b.cpuMs, unit: 'ms' },
        ratio: {
          value: s.cpuMs / b.cpuMs,
          meaning: 'bare requests one session costs in CPU time (steadier on a shared machine)',
          aim: '≤ 6',
        },
      })
      report({
        name: `p99 periodic session latency, fresh connection, ${clients} CPE${plural}`,
        value: s.p99,
        unit: 'ms',
        baseline: { name: `bare request p99, ${clients} client${plural}`, value: b.p99, unit: 'ms' },
        ratio: { value: s.p99 / b.p99, meaning: 'session p99 ÷ bare request p99' },
      })
    }
  },
}

async function bytesPerSession(): Promise<{ ours: number; legacy: number; sessions: number }> {
  const acs = await startBenchAcs()
  const legacyDir = mkdtempSync(join(tmpdir(), 'bench-acs-legacy-'))
  const legacy = openBenchStore(databaseFile(legacyDir))
  try {
    const { store } = acs.bench
    const file = databaseFile(acs.dir)
    const informs = Array.from({ length: CPES }, (_, i) => periodicInform(`STORE${String(i).padStart(4, '0')}`))
    // The first session of each CPE creates its device and parameter rows: not a periodic session's cost.
    await Promise.all(informs.map((inform) => periodicSession(acs.url, inform)))
    const firstSeq = store.events.query({ limit: 1 })[0]?.seq ?? 0
    const before = bytesOnDisk(store.db, file)
    const rounds = Math.ceil(SESSIONS / CPES)
    await Promise.all(
      informs.map(async (inform) => {
        for (let r = 0; r < rounds; r++) await periodicSession(acs.url, inform)
      }),
    )
    const sessions = rounds * CPES
    const ours = (bytesOnDisk(store.db, file) - before) / sessions
    const legacyFile = databaseFile(legacyDir)
    const legacyBefore = bytesOnDisk(legacy.db, legacyFile)
    replayTheOldWay(store, legacy, firstSeq)
    return { ours, legacy: (bytesOnDisk(legacy.db, legacyFile) - legacyBefore) / sessions, sessions }
  } finally {
    legacy.close()
    rmSync(legacyDir, { recursive: true, force: true })
    await acs.close()
  }
}

/**
 * Writes every event the ACS logged after `afterSeq` into `legacy` as the store did before shared,
 * deflated bodies: SOAP as text in the event row, one outbox row per event, and the raw Inform
 * once more as the "inform" outbox row's payload. 50 events per transaction, like a busy batch.
 */
function replayTheOldWay(store: Store, legacy: Store, afterSeq: number): void {
  const insertEvent = legacy.db.prepare(
    'INSERT INTO events (id, ts, kind, severity, serial, summary, detail, soap_in, soap_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const insertOutbox = legacy.db.prepare(
    'INSERT INTO outbox (id, site, topic, key, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  let cursor = afterSeq
  for (;;) {
    const events = store.events.query({ afterSeq: cursor, limit: 50 })
    if (events.length === 0) break
    legacy.db.transaction(() => {
      for (const e of events) {
        const soap = e.hasSoap ? store.events.soap(e.seq) : undefined
        const detail = e.detail === null ? null : JSON.stringify(e.detail)
        insertEvent.run(
          e.id,
          e.ts,
          e.kind,
          e.severity,
          e.serial,
          e.summary,
          detail,
          soap?.soapIn ?? null,
          soap?.soapOut ?? null,
        )
        const payload = {
          id: e.id,
          ts: e.ts,
          kind: e.kind,
          severity: e.severity,
          serial: e.serial,
          summary: e.summary,
          detail: e.detail,
        }
        insertOutbox.run(ulid(e.ts), legacy.siteId, 'event', e.serial, JSON.stringify(payload), e.ts)
        if (e.kind === 'inform' && soap?.soapIn)
          insertOutbox.run(ulid(e.ts), legacy.siteId, 'inform', e.serial, JSON.stringify(soap.soapIn), e.ts)
      }
    })()
    cursor = events[events.length - 1]!.seq
  }
}
