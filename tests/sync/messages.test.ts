// What goes on which NATS subject, from rows written by the real store (pure functions: no server).
import { afterEach, describe, expect, it } from 'vitest'
import { DeviceStatus, Store } from '../../main/core/store'
import type { OutboxRow } from '../../main/core/store/types'
import { planNatsMessages } from '../../main/core/sync/nats/messages'
import { benchSubject, subjectMatches, subjectToken } from '../../main/core/sync/nats/subjects'
import { tempDir } from './helpers'
import { openBenchStore, databaseFile } from '../../main/core/database'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

function store(): Store {
  const tmp = tempDir()
  const s = openBenchStore(databaseFile(tmp.dir))
  cleanups.push(tmp.cleanup, () => s.close())
  return s
}

const OPTS = { prefix: 'bench', oktopus: true, maxPayload: 1024 * 1024 }
const text = (data: Uint8Array) => new TextDecoder().decode(data)

describe('NATS messages', () => {
  it('puts our records on <prefix>.<site>.<topic>.<key> with the row id as Nats-Msg-Id', () => {
    const s = store()
    s.devices.upsert('SN.1*', { manufacturer: 'ACME', status: DeviceStatus.Online })
    s.events.append({ kind: 'system', summary: 'no device' })
    const [device, event] = s.outbox.after(0, 10) as [OutboxRow, OutboxRow]
    const [m] = planNatsMessages(device, OPTS)
    expect(m!.payload.subject).toBe(`bench.${s.siteId}.device.SN_1_`)
    expect(m!.payload.msgId).toBe(device.id)
    expect(JSON.parse(text(m!.payload.data))).toMatchObject({
      id: device.id,
      seq: device.seq,
      site: s.siteId,
      topic: 'device',
      key: 'SN.1*',
      payload: { serial: 'SN.1*', manufacturer: 'ACME', status: 2 },
    })
    expect(planNatsMessages(event, OPTS)[0]!.payload.subject).toBe(`bench.${s.siteId}.event._`)
  })

  it("publishes the raw Inform XML on Oktopus' cwmp.v1.<serial>.info, and only with the Oktopus option", () => {
    const s = store()
    const xml = '<soap:Envelope><soap:Body><cwmp:Inform/></soap:Body></soap:Envelope>'
    s.transaction(() => s.outbox.append('inform', 'CPE-7', xml))
    const [row] = s.outbox.after(0, 1) as [OutboxRow]
    const [m, ...rest] = planNatsMessages(row, OPTS)
    expect(rest).toEqual([])
    expect(m!.payload).toMatchObject({ subject: 'cwmp.v1.CPE-7.info', msgId: row.id })
    expect(text(m!.payload.data)).toBe(xml)
    expect(planNatsMessages(row, { ...OPTS, oktopus: false })).toEqual([])
  })

  it('tells Oktopus a device went offline (cwmp.v1.<serial>.status "0") as a second part', () => {
    const s = store()
    s.devices.upsert('CPE-8', { status: DeviceStatus.Offline })
    const [row] = s.outbox.after(0, 1) as [OutboxRow]
    const messages = planNatsMessages(row, OPTS)
    expect(messages.map((m) => [m.part, m.payload.subject, m.payload.msgId])).toEqual([
      [0, `bench.${s.siteId}.device.CPE-8`, row.id],
      [1, 'cwmp.v1.CPE-8.status', `${row.id}.1`],
    ])
    expect(text(messages[1]!.payload.data)).toBe('0')
    expect(planNatsMessages(row, { ...OPTS, oktopus: false })).toHaveLength(1)
  })

  it("splits a parameter snapshot larger than the server's max_payload into parts", () => {
    const s = store()
    s.devices.upsert('BIG', {})
    const updates = Array.from({ length: 3000 }, (_, i) => ({
      name: `Device.Hosts.Host.${i}.HostName`,
      value: `host-${i}-${'x'.repeat(40)}`,
      type: 'xsd:string',
    }))
    s.parameters.upsert('BIG', updates)
    const row = s.outbox.after(0, 10).find((r) => r.topic === 'parameters')!
    const messages = planNatsMessages(row, { ...OPTS, maxPayload: 64 * 1024 })
    expect(messages.length).toBeGreaterThan(2)
    const bodies = messages.map((m) => JSON.parse(text(m.payload.data)))
    expect(messages.every((m) => m.payload.data.length <= 64 * 1024 && !m.payload.tooLarge)).toBe(true)
    expect(bodies.map((b) => b.part)).toEqual(messages.map((_, index) => ({ index, count: messages.length })))
    expect(bodies.flatMap((b) => b.payload.parameters.map((p: { name: string }) => p.name))).toEqual(
      updates.map((u) => u.name),
    )
    expect(new Set(messages.map((m) => m.payload.msgId)).size).toBe(messages.length)
  })

  it('builds the same bytes from the stored JSON text as from the parsed payload', () => {
    const s = store()
    s.devices.upsert('SN-"quoted"', { alias: 'ünïcödé \u2028', status: DeviceStatus.Online })
    s.events.append({ kind: 'system', summary: 'with detail', detail: { nested: [1, { a: null }] } })
    const parsed = s.outbox.after(0, 10).flatMap((r) => planNatsMessages(r, OPTS))
    const raw = s.outbox.afterJson(0, 10).flatMap((r) => planNatsMessages(r, OPTS))
    expect(raw.map((m) => text(m.payload.data))).toEqual(parsed.map((m) => text(m.payload.data)))
    expect(raw.map((m) => m.payload.subject)).toEqual(parsed.map((m) => m.payload.subject))
  })

  it('marks a row that cannot fit instead of sending it', () => {
    const s = store()
    s.events.append({ kind: 'system', summary: 'x'.repeat(5000) })
    const [row] = s.outbox.after(0, 1) as [OutboxRow]
    expect(planNatsMessages(row, { ...OPTS, maxPayload: 1024 })[0]!.payload.tooLarge).toBe(true)
  })

  it('makes subject tokens of anything and matches stream subjects with wildcards', () => {
    expect(subjectToken('a.b c>*\t')).toBe('a_b_c___')
    expect(subjectToken(null)).toBe('_')
    expect(benchSubject('bench', 'lab-1', 'run', null)).toBe('bench.lab-1.run._')
    expect(subjectMatches('cwmp.>', 'cwmp.v1.X.info')).toBe(true)
    expect(subjectMatches('cwmp.v1.*.info', 'cwmp.v1.X.info')).toBe(true)
    expect(subjectMatches('cwmp.v1.*.info', 'cwmp.v1.X.status')).toBe(false)
    expect(subjectMatches('bench.>', 'bench')).toBe(false)
  })
})
