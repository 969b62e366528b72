// A routine periodic session is one event row that goes to the sync outbox when the session ends.
// A session the ACS never ended keeps its row all the same: cut short by a stop (bench.close, a
// SIGTERM to `bench-acs serve`) it is ended then; left open by a crash (SIGKILL), it is queued at
// the next start. Real SQLite files, a real ACS over HTTP, the built command line.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBench } from '../../main/core/bench'
import { databaseFile, openBenchStore } from '../../main/core/database'
import { CUT_SHORT_BY_STOP } from '../../main/core/acs/session-end'
import { CUT_SHORT_BY_CRASH } from '../../main/core/acs/session-log'
import type { SessionMessage } from '../../main/core/store/types'
import { ensureBuiltCli, startBuiltServe } from '../support/built-cli'
import { informXml, ManualCpe, plainSession, startAcs } from './helpers'

const IGD = 'InternetGatewayDevice.'
const dirs: string[] = []
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'bench-cut-short-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
beforeAll(() => ensureBuiltCli(), 180_000)

interface SyncedRow {
  id: string
  kind: string
  severity: string
  summary: string
  session?: string
  detail: Record<string, unknown> & { messages: SessionMessage[] }
}

/** The event records of the outbox of the data folder's database, read with the store closed to others. */
function outboxEvents(dir: string): SyncedRow[] {
  const store = openBenchStore(databaseFile(dir))
  try {
    return store.outbox
      .after(0, 100_000)
      .filter((r) => r.topic === 'event')
      .map((r) => r.payload as SyncedRow)
  } finally {
    store.close()
  }
}

/** The session rows of the event log, straight from the file (no migration, no recovery). */
function sessionRows(dir: string): { id: string; detail: string }[] {
  const db = new Database(databaseFile(dir), { readonly: true })
  try {
    return db.prepare("SELECT id, detail FROM events WHERE kind = 'session'").all() as { id: string; detail: string }[]
  } finally {
    db.close()
  }
}

describe('a routine session cut short', () => {
  it('by bench.close: its row reaches the outbox with the RPC it had, said to be cut short', async () => {
    const a = await startAcs()
    const serial = 'CUT-STOP'
    const cpe = new ManualCpe(a.url)
    await plainSession(cpe, { serial, events: ['2 PERIODIC'] })
    // Two reads queued for the CPE's next session: one answered, one not.
    const reads = ['UpTime', 'SoftwareVersion'].map((p) =>
      a.bench.acs
        .execute(
          serial,
          { method: 'GetParameterValues', parameterNames: [`${IGD}DeviceInfo.${p}`] },
          { onUnreachable: 'wait' },
        )
        .catch((e: unknown) => e),
    )
    await expect
      .poll(() => a.bench.acs.rpcs(serial).filter((r) => r.state === 'queued').length, { timeout: 10_000 })
      .toBe(2)
    expect((await cpe.post(informXml({ serial, events: ['2 PERIODIC'] }))).status).toBe(200)
    const first = await cpe.post(null)
    expect(first.envelope?.body?.method).toBe('GetParameterValues')
    const second = await cpe.post(
      {
        method: 'GetParameterValuesResponse',
        parameterList: [{ name: `${IGD}DeviceInfo.UpTime`, value: '77', type: 'xsd:unsignedInt' }],
      },
      first.envelope!.header.id,
    )
    expect(second.envelope?.body?.method).toBe('GetParameterValues')
    // Mid-session (the second read unanswered): the ACS stops.
    await a.bench.close()
    cpe.close()
    await Promise.all(reads)

    const rows = outboxEvents(a.dir).filter((r) => r.kind === 'session')
    expect(rows.map((r) => r.detail.reason)).toEqual(['completed', 'closed'])
    const row = rows[1]
    expect(row).toMatchObject({ severity: 'warn', session: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(row!.summary).toContain(`Session closed (${CUT_SHORT_BY_STOP}): 2 PERIODIC, 1 RPC`)
    expect(row!.detail).toMatchObject({ grouped: true, reason: 'closed', cutShort: true, why: CUT_SHORT_BY_STOP })
    expect(row!.detail).not.toHaveProperty('open')
    expect(row!.detail.messages.map((m) => `${m.from}:${m.method}`)).toEqual([
      'cpe:Inform',
      'acs:InformResponse',
      'cpe:(empty)',
      'acs:GetParameterValues',
      'cpe:GetParameterValuesResponse',
      'acs:GetParameterValues',
    ])
    // The next start finds nothing left to recover: the row is in the outbox once.
    const again = await createBench({ dataDir: a.dir }, { log: () => {} })
    await again.close()
    expect(outboxEvents(a.dir).filter((r) => r.kind === 'session')).toHaveLength(2)
    rmSync(a.dir, { recursive: true, force: true })
  })

  it('by SIGTERM to bench-acs serve: the row is in the outbox when the process has exited', async () => {
    const dir = temp()
    const serve = await startBuiltServe(dir)
    const cpe = new ManualCpe(serve.url)
    expect((await cpe.post(informXml({ serial: 'CUT-TERM', events: ['2 PERIODIC'] }))).status).toBe(200)
    serve.child.kill('SIGTERM')
    expect((await serve.exited).code).toBe(0)
    cpe.close()
    const [row] = outboxEvents(dir).filter((r) => r.kind === 'session')
    expect(row?.detail).toMatchObject({ reason: 'closed', cutShort: true, rpcs: 0 })
    expect(row!.detail.messages.map((m) => m.method)).toEqual(['Inform', 'InformResponse'])
  }, 60_000)

  it('by a crash (SIGKILL): the row the process left open is queued at the next start, once', async () => {
    const dir = temp()
    const serve = await startBuiltServe(dir)
    const cpe = new ManualCpe(serve.url)
    const serial = 'CUT-KILL'
    expect((await cpe.post(informXml({ serial, events: ['2 PERIODIC'] }))).status).toBe(200)
    serve.child.kill('SIGKILL')
    expect((await serve.exited).signal).toBe('SIGKILL')
    cpe.close()
    // Written before the InformResponse, still open, never queued.
    const [left] = sessionRows(dir)
    expect(JSON.parse(left!.detail)).toMatchObject({ open: true })
    expect(outboxEvents(dir).filter((r) => r.kind === 'session')).toHaveLength(0)

    const bench = await createBench({ dataDir: dir }, { log: () => {} })
    try {
      const [stored] = bench.store.events.query({ serial, kinds: ['session'] })
      expect(stored).toMatchObject({ id: left!.id, severity: 'warn' })
      expect(stored!.summary).toBe(`Session closed (${CUT_SHORT_BY_CRASH}): 2 PERIODIC, 0 RPCs, 0 ms or more`)
    } finally {
      await bench.close()
    }
    const rows = outboxEvents(dir).filter((r) => r.kind === 'session')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id: left!.id, severity: 'warn' })
    expect(rows[0]!.detail).toMatchObject({ reason: 'closed', cutShort: true, why: CUT_SHORT_BY_CRASH, rpcs: 0 })
    expect(rows[0]!.detail).not.toHaveProperty('open')
    expect(rows[0]!.detail.messages.map((m) => m.method)).toEqual(['Inform', 'InformResponse'])

    // A second start queues nothing more.
    const again = await createBench({ dataDir: dir }, { log: () => {} })
    await again.close()
    expect(outboxEvents(dir).filter((r) => r.kind === 'session')).toHaveLength(1)
  }, 60_000)
})
