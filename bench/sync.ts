// Outbox drain throughput to NATS JetStream, next to a bare JetStream publish loop in the same run
// against the same server: the ratio is what our relay costs over the client itself (SQLite reads,
// envelopes, cursor commits, status).
import { join } from 'node:path'
import { connect } from 'nats'
import { BenchEvents } from '../main/core/events'
import { SyncService } from '../main/core/sync'
import { produce, tempDir, waitForTarget } from '../tests/sync/helpers'
import { startNatsServer } from '../tests/sync/nats-server'
import type { BenchSuite } from './types'
import { openBenchStore, databaseFile } from '../main/core/database'

const ROWS = 20_000
/** The bare loop keeps as many publishes in flight as the relay does (one batch). */
const WINDOW = 500

export const syncSuite: BenchSuite = {
  name: 'sync',
  async run(report) {
    const server = await startNatsServer()
    const tmp = tempDir('bench-sync-bench-')
    try {
      // Two rounds each, best kept: the first round of either warms the server's store files.
      let bare = 0
      let drain = 0
      for (let round = 0; round < 2; round++) {
        bare = Math.max(bare, await bareRate(server.url, `BARE${round}`, `bare${round}`))
        drain = Math.max(drain, await drainRate(server.url, join(tmp.dir, `round${round}`), `BENCH${round}`))
      }
      report({
        name: `outbox drain to JetStream (${ROWS} event rows, batches of ${WINDOW})`,
        value: drain,
        unit: 'rows/s',
        baseline: { name: `bare js.publish loop (${WINDOW} in flight, msgID set)`, value: bare, unit: 'msgs/s' },
        ratio: { value: drain / bare, meaning: 'drain rate ÷ bare publish rate', aim: '≥ 0.5' },
      })
    } finally {
      await server.dispose()
      tmp.cleanup()
    }
  },
}

/** Publishes ROWS messages shaped like our envelopes, WINDOW at a time, waiting for every ack. */
async function bareRate(url: string, stream: string, prefix: string): Promise<number> {
  // The same client options as the relay's (noAsyncTraces: no stack trace captured per publish).
  const nc = await connect({ servers: url, noAsyncTraces: true })
  try {
    const jsm = await nc.jetstreamManager()
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] })
    const js = nc.jetstream()
    const encoder = new TextEncoder()
    const body = (i: number) =>
      encoder.encode(
        JSON.stringify({
          id: `01J${String(i).padStart(23, '0')}`,
          seq: i,
          site: 'bench-0000',
          topic: 'event',
          key: `SN${i % 50}`,
          createdAt: Date.now(),
          payload: { id: `01K${String(i).padStart(23, '0')}`, kind: 'system', summary: `record ${i}`, detail: null },
        }),
      )
    const started = performance.now()
    for (let i = 0; i < ROWS; i += WINDOW) {
      const inFlight = []
      for (let j = i; j < Math.min(ROWS, i + WINDOW); j++)
        inFlight.push(js.publish(`${prefix}.site.event.SN${j % 50}`, body(j), { msgID: `${prefix}-${j}` }))
      await Promise.all(inFlight)
    }
    return ROWS / ((performance.now() - started) / 1000)
  } finally {
    await nc.close()
  }
}

async function drainRate(url: string, dir: string, stream: string): Promise<number> {
  const store = openBenchStore(databaseFile(dir))
  const events = new BenchEvents()
  const sync = new SyncService({ store, events, tuning: { batchRows: WINDOW } })
  try {
    produce(store, ROWS)
    await sync.configure({ nats: { url, stream, subjectPrefix: stream.toLowerCase(), oktopus: false } })
    const started = performance.now()
    sync.start()
    await waitForTarget(
      events,
      () => sync.status(),
      'nats',
      (t) => t.backlog === 0 && t.state === 'idle',
      120_000,
    )
    return ROWS / ((performance.now() - started) / 1000)
  } finally {
    await sync.close()
    store.close()
  }
}
