// The Events API over the real headless UI server (HTTP + WebSocket) on a real SQLite file: the
// serial filter is a case-insensitive substring, and a routine session's row can be opened with
// every message's SOAP body.
import { describe, expect, it } from 'vitest'
import type { EventPage, LoggedEvent } from '../../preload/api'
import type { SessionMessage } from '../../main/core/store/types'
import { informXml, ManualCpe } from '../acs/helpers'
import { client, start } from './helpers'
import { ok } from '../support/api-reply'

describe('Events API', () => {
  it('filters by a case-insensitive substring of the serial, LIKE wildcards taken literally', async () => {
    const { bench, port } = await start()
    const api = await client(port)
    const serials = ['CPE-AbC-001', 'cpe-abc-002', 'XABCX', 'OTHER-1', 'A%B_C', 'AXBYC']
    for (const serial of serials)
      for (let i = 0; i < 3; i++) bench.journal.record({ kind: 'rpc', serial, summary: `${serial} ${i}` })
    const page = (serial: string) => ok<EventPage>(api.call('events.page', { serial, limit: 100 }))
    const serialsOf = (p: EventPage) => [...new Set(p.rows.map((r) => r.serial))].sort()

    const abc = await page('abc')
    expect(serialsOf(abc)).toEqual(
      ['A%B_C', 'CPE-AbC-001', 'XABCX', 'cpe-abc-002'].filter((s) => /abc/i.test(s)).sort(),
    )
    expect(abc.total).toBe(9)
    expect(serialsOf(await page('ABC-00'))).toEqual(['CPE-AbC-001', 'cpe-abc-002'])
    // % and _ are characters, not wildcards: "A%B" matches only the serial that has them.
    expect(serialsOf(await page('a%b_c'))).toEqual(['A%B_C'])
    expect(serialsOf(await page('A_B'))).toEqual([])
    // Count and page agree, and paging back with beforeSeq keeps the filter.
    const first = await ok<EventPage>(api.call('events.page', { serial: 'cpe', limit: 4 }))
    expect(first.total).toBe(6)
    const rest = await ok<EventPage>(
      api.call('events.page', { serial: 'cpe', limit: 4, beforeSeq: first.rows[3]!.seq }),
    )
    expect([...first.rows, ...rest.rows].map((r) => r.serial!.toLowerCase().includes('cpe'))).toEqual(
      Array(6).fill(true),
    )
    // Export takes the same filter.
    const csv = await ok<{ rows: number }>(api.call('events.export', { serial: 'other' }, 'csv'))
    expect(csv.rows).toBe(3)
    // Too long a filter is refused with a message, not run.
    const long = await api.call('events.page', { serial: 'x'.repeat(300) })
    expect(long.ok).toBe(false)
    api.ws.close()
  })

  it('opens a routine session: its rows, and every SOAP body its one row holds', async () => {
    const { bench, port } = await start()
    const api = await client(port)
    api.ws.send(JSON.stringify({ type: 'subscribe', stream: 'events.updated', on: true }))
    if (!bench.acs.address) await bench.acs.listen()
    const cpe = new ManualCpe(`http://127.0.0.1:${bench.acs.address!.port}/`)
    const serial = 'API-SESSION'
    await cpe.post(informXml({ serial, events: ['1 BOOT'] }))
    // The first session of a new device discovers it; let it end.
    let reply = await cpe.post(null)
    while (reply.status === 200 && reply.envelope?.body) {
      const id = reply.envelope.header.id
      const method = reply.envelope.body.method
      reply =
        method === 'GetParameterNames'
          ? await cpe.post({ method: 'GetParameterNamesResponse', parameterList: [] }, id)
          : method === 'GetParameterValues'
            ? await cpe.post({ method: 'GetParameterValuesResponse', parameterList: [] }, id)
            : await cpe.post({ method: 'GetRPCMethodsResponse', methodList: ['GetParameterValues'] }, id)
    }
    expect(reply.status).toBe(204)
    // A routine session: Inform, empty POST, 204.
    expect((await cpe.post(informXml({ serial, events: ['2 PERIODIC'] }))).status).toBe(200)
    expect((await cpe.post(null)).status).toBe(204)

    // The UI hears the row change when the session ends.
    const updated = await api.next(
      (m) =>
        m.type === 'stream' &&
        m.stream === 'events.updated' &&
        (m.batch as LoggedEvent[]).some((e) => e.serial === serial && /^Session completed/.test(e.summary)),
    )
    const row = (updated as { batch: LoggedEvent[] }).batch.find((e) => e.serial === serial)!
    const rows = await ok<LoggedEvent[]>(api.call('events.session', row.session))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ seq: row.seq, kind: 'session', summary: row.summary })
    const messages = (rows[0]!.detail as { messages: SessionMessage[] }).messages
    expect(messages.map((m) => m.method)).toEqual(['Inform', 'InformResponse', '(empty)', '(204 No Content)'])
    const soap = await ok<{ soapIn: string; soapOut: string }>(api.call('events.soap', row.seq))
    expect(soap.soapIn).toContain(`<SerialNumber>${serial}</SerialNumber>`)
    expect(soap.soapOut).toContain('InformResponse')
    // A body no row of that seq holds is not handed out.
    expect(await ok(api.call('events.body', row.seq, 999_999))).toBeNull()
    // The BOOT session's rows come back together, oldest first.
    const boot = await ok<EventPage>(api.call('events.page', { serial, kinds: ['inform'], limit: 1 }))
    const bootRows = await ok<LoggedEvent[]>(api.call('events.session', boot.rows[0]!.session))
    expect(bootRows[0]!.kind).toBe('inform')
    expect(bootRows.at(-1)!.kind).toBe('session')
    expect(bootRows.map((r) => r.seq)).toEqual([...bootRows.map((r) => r.seq)].sort((a, b) => a - b))
    cpe.close()
    api.ws.close()
  })

  it('names the script behind a source now: its current name, or "deleted script"', async () => {
    const { bench, port } = await start()
    const api = await client(port)
    const script = await ok<{ id: string }>(api.call('scripts.create', 'Bench Wi-Fi check', 'print("hi")'))
    const [run] = await ok<{ id: string }[]>(api.call('scripts.run', script.id, { kind: 'none' }))
    await expect.poll(() => bench.scripts.getRun(run!.id)?.status, { timeout: 20_000 }).toBe('ok')
    const source = `script:${run!.id}`
    const names = () =>
      ok<Record<string, { label: string; scriptId?: string; deleted?: boolean }>>(
        api.call('events.sources', [source, 'ui']),
      )
    expect(await names()).toEqual({
      [source]: { label: 'script "Bench Wi-Fi check"', scriptId: script.id, runId: run!.id },
      ui: { label: 'ui' },
    })
    await ok(api.call('scripts.rename', script.id, 'Wi-Fi for Dupont'))
    expect((await names())[source]!.label).toBe('script "Wi-Fi for Dupont"')
    await ok(api.call('scripts.remove', script.id))
    expect((await names())[source]).toEqual({
      label: 'deleted script (was "Bench Wi-Fi check")',
      runId: run!.id,
      deleted: true,
    })
    // The run's own event row carries its run id, which the page resolves the same way.
    const [logged] = bench.store.events.query({ kinds: ['script'], limit: 1 })
    expect((logged!.detail as { runId: string }).runId).toBe(run!.id)
    api.ws.close()
  })
})
