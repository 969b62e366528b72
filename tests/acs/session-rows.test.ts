// The event log of a CWMP session, over real HTTP and a real SQLite file: a routine periodic
// session is one row listing every message (with their SOAP bodies); BOOT, faults and security
// problems keep rows of their own, tied to the session; pruning meanwhile changes nothing of it.
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionMessage } from '../../main/core/store/types'
import { informXml, ManualCpe, plainSession, startAcs, type TestAcs } from './helpers'
import { appendOldHistory, pruneMeanwhile } from '../support/retention'

const DAY = 86_400_000
const IGD = 'InternetGatewayDevice.'
let acs: TestAcs | undefined

afterEach(async () => {
  await acs?.close()
  acs = undefined
})

/** Starts an ACS that does not discover new devices (so a first Inform is a plain session). */
async function start(retention: Record<string, number> = {}): Promise<TestAcs> {
  acs = await startAcs({ cwmp: { discoverOnBootstrap: false }, retention })
  return acs
}

/** Queues a GetParameterValues for the CPE's next session; resolves with its answer. */
function queueRead(a: TestAcs, serial: string) {
  return a.bench.acs.execute(
    serial,
    { method: 'GetParameterValues', parameterNames: [`${IGD}DeviceInfo.UpTime`] },
    { onUnreachable: 'wait' },
  )
}

/** A periodic session in which the CPE answers one queued GPV with `answer` ('ok' or a fault). */
async function periodicWithRead(a: TestAcs, cpe: ManualCpe, serial: string, answer: 'ok' | 'fault') {
  const read = queueRead(a, serial).catch((e: unknown) => e)
  await expect
    .poll(() => a.bench.acs.rpcs(serial).filter((r) => r.state === 'queued').length, { timeout: 10_000 })
    .toBe(1)
  const inform = await cpe.post(informXml({ serial, events: ['2 PERIODIC'] }))
  expect(inform.status).toBe(200)
  const gpv = await cpe.post(null)
  expect(gpv.envelope?.body?.method).toBe('GetParameterValues')
  const id = gpv.envelope!.header.id
  const end =
    answer === 'ok'
      ? await cpe.post(
          {
            method: 'GetParameterValuesResponse',
            parameterList: [{ name: `${IGD}DeviceInfo.UpTime`, value: '4242', type: 'xsd:unsignedInt' }],
          },
          id,
        )
      : await cpe.post({ method: 'Fault', faultCode: 9005, faultString: 'Invalid parameter name' } as never, id)
  expect(end.status).toBe(204)
  return read
}

function messagesOf(detail: unknown): SessionMessage[] {
  return (detail as { messages: SessionMessage[] }).messages
}

describe('one event row per routine periodic session', () => {
  it('lists every message of the session, each SOAP body readable, and syncs the complete row once', async () => {
    const a = await start()
    const { store } = a.bench
    const cpe = new ManualCpe(a.url)
    const serial = 'GRP-1'
    await plainSession(cpe, { serial, events: ['2 PERIODIC'] })
    const outboxBefore = store.outbox.after(0, 10_000).length
    await periodicWithRead(a, cpe, serial, 'ok')
    // Two sessions, two rows; no inform, cwmp-event or rpc rows (the failed connection request
    // that queued the read has its own row: it is not part of a session).
    const kinds = ['session', 'inform', 'cwmp-event', 'rpc', 'fault'] as const
    await expect.poll(() => store.events.countMatching({ serial, kinds: [...kinds] }), { timeout: 10_000 }).toBe(2)
    expect(store.events.countMatching({ serial, kinds: ['session'] })).toBe(2)

    const [row] = store.events.query({ serial, kinds: ['session'], limit: 1 })
    expect(row).toMatchObject({ kind: 'session', severity: 'info', serial, hasSoap: true })
    expect(row!.summary).toMatch(/^Session completed: 2 PERIODIC, 1 RPC, \d+ ms$/)
    const detail = row!.detail as Record<string, unknown>
    expect(detail).toMatchObject({ grouped: true, reason: 'completed', rpcs: 1, retryCount: 0 })
    expect(detail).not.toHaveProperty('open')
    expect(row!.session).toMatch(/^[0-9a-f]{32}$/)
    const messages = messagesOf(detail)
    expect(messages.map((m) => `${m.from}:${m.method}`)).toEqual([
      'cpe:Inform',
      'acs:InformResponse',
      'cpe:(empty)',
      'acs:GetParameterValues',
      'cpe:GetParameterValuesResponse',
      'acs:(204 No Content)',
    ])
    // Every body is there: the Inform and its answer as the row's own, the RPC's through refs.
    const soap = store.events.soap(row!.seq)!
    expect(soap.soapIn).toBe(informXml({ serial, events: ['2 PERIODIC'] }))
    expect(soap.soapOut).toContain('InformResponse')
    const [asked, answered] = messages.filter((m) => m.ref !== undefined)
    expect(store.events.messageBody(row!.seq, asked!.ref!)).toContain('GetParameterValues')
    expect(store.events.messageBody(row!.seq, answered!.ref!)).toContain(
      '<Value xsi:type="xsd:unsignedInt">4242</Value>',
    )
    // A reference of another row is not handed out through this one.
    expect(store.events.messageBody(row!.seq - 1, answered!.ref!)).toBeNull()
    expect(store.parameters.get(serial, `${IGD}DeviceInfo.UpTime`)?.value).toBe('4242')

    // The outbox: the raw Inform (for Oktopus), the device, the parameters, and the row once, complete.
    const synced = store.outbox.after(0, 10_000).slice(outboxBefore)
    const events = synced.filter((r) => r.topic === 'event')
    expect(events).toHaveLength(1)
    expect(events[0]!.payload).toMatchObject({
      id: row!.id,
      kind: 'session',
      session: row!.session,
      detail: {
        rpcs: 1,
        messages: expect.arrayContaining([expect.objectContaining({ method: 'Inform' })]),
      },
    })
    expect(synced.filter((r) => r.topic === 'inform')).toHaveLength(1)
    const informRow = synced.find((r) => r.topic === 'inform')!
    expect(store.outbox.afterJson(informRow.seq - 1, 1)[0]!.payload).toBe(informXml({ serial, events: ['2 PERIODIC'] }))
    cpe.close()
  })

  it('keeps rows of their own for a BOOT, a fault and a security problem, tied to their session', async () => {
    const a = await start()
    const { store } = a.bench
    const cpe = new ManualCpe(a.url)
    const serial = 'GRP-2'

    // BOOT: the Inform, its event codes and the session's end, each a row, all with one session id.
    await plainSession(cpe, { serial, events: ['1 BOOT', '2 PERIODIC'] })
    await expect.poll(() => store.events.countMatching({ serial, kinds: ['session'] }), { timeout: 10_000 }).toBe(1)
    const boot = store.events.query({ serial, limit: 100 }).reverse()
    expect(boot.map((e) => e.kind)).toEqual(['inform', 'cwmp-event', 'cwmp-event', 'session'])
    expect(new Set(boot.map((e) => e.session)).size).toBe(1)
    expect(boot[0]!.session).toMatch(/^[0-9a-f]{32}$/)

    // A fault in a periodic session: its own row, and the session row points at it.
    const read = await periodicWithRead(a, cpe, serial, 'fault')
    expect(String(read)).toMatch(/9005/)
    await expect.poll(() => store.events.countMatching({ serial, kinds: ['session'] }), { timeout: 10_000 }).toBe(2)
    const [fault] = store.events.query({ serial, kinds: ['fault'], limit: 1 })
    const [grouped] = store.events.query({ serial, kinds: ['session'], limit: 1 })
    expect(fault).toMatchObject({ severity: 'warn', session: grouped!.session })
    expect(fault!.summary).toContain('9005')
    expect(store.events.soap(fault!.seq)!.soapIn).toContain('9005')
    expect(messagesOf(grouped!.detail).map((m) => m.method)).toContain('Fault')
    expect(messagesOf(grouped!.detail).find((m) => m.method === 'Fault')!.eventSeq).toBe(fault!.seq)

    // A security problem in a periodic session (a DOCTYPE, refused): a row of its own, kept apart.
    const inform = await cpe.post(informXml({ serial, events: ['2 PERIODIC'] }))
    expect(inform.status).toBe(200)
    const hostile = await cpe.post('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    expect(hostile.status).toBe(400)
    await cpe.post(null)
    await expect.poll(() => store.events.countMatching({ serial, kinds: ['security'] }), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => store.events.countMatching({ serial, kinds: ['session'] }), { timeout: 10_000 }).toBe(3)
    cpe.close()
  })

  it('pruning during a session changes nothing of it', async () => {
    const a = await start({ eventsDays: 30, maxMb: 1, keepMinutes: 60, batchRows: 50 })
    const { store, retention } = a.bench
    appendOldHistory(store)
    const cpe = new ManualCpe(a.url)
    const serial = 'GRP-3'
    await plainSession(cpe, { serial, events: ['2 PERIODIC'] })
    // Retention steps run between every message of the next session.
    const pruning = pruneMeanwhile(retention)
    await periodicWithRead(a, cpe, serial, 'ok')
    const steps = await pruning.stop()
    await retention.pass()
    expect(steps).toBeGreaterThan(1)
    expect(store.events.countMatching({ serial: 'OLD' })).toBe(0)

    const rows = store.events.query({ serial, kinds: ['session', 'inform', 'rpc', 'cwmp-event'], limit: 10 })
    expect(rows.map((r) => r.kind)).toEqual(['session', 'session'])
    const messages = messagesOf(rows[0]!.detail)
    expect(messages).toHaveLength(6)
    for (const m of messages.filter((x) => x.ref !== undefined))
      expect(store.events.messageBody(rows[0]!.seq, m.ref!)).toMatch(/GetParameterValues/)
    expect(store.events.soap(rows[0]!.seq)!.soapIn).toContain(`<SerialNumber>${serial}</SerialNumber>`)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    cpe.close()
  })

  it('pruning a grouped row releases the bodies it held', async () => {
    const a = await start({ eventsDays: 1 })
    const { store } = a.bench
    const cpe = new ManualCpe(a.url)
    await plainSession(cpe, { serial: 'GRP-4', events: ['2 PERIODIC'] })
    await periodicWithRead(a, cpe, 'GRP-4', 'ok')
    await expect
      .poll(() => store.events.countMatching({ serial: 'GRP-4', kinds: ['session'] }), { timeout: 10_000 })
      .toBe(2)
    const held = () => (store.db.prepare('SELECT COUNT(*) AS n FROM event_bodies').get() as { n: number }).n
    expect(held()).toBe(2)
    // Everything is older than "now + 1 day": the whole log goes, and the RPC bodies with it.
    const removed = store.events.prune(Date.now() + DAY, 10_000)
    expect(removed).toBeGreaterThanOrEqual(2)
    expect(held()).toBe(0)
    const bodies = store.db.prepare('SELECT COUNT(*) AS n FROM soap_bodies').get() as { n: number }
    // What is left is only held by the outbox (the raw Informs, until sent).
    expect(bodies.n).toBe(store.outbox.after(0, 10_000).filter((r) => r.topic === 'inform').length)
    cpe.close()
  })
})
