import { afterEach, describe, expect, it } from 'vitest'
import { informXml, ManualCpe, plainSession, startAcs, type TestAcs } from './helpers'
import { appendOldHistory, pruneMeanwhile } from '../support/retention'

let acs: TestAcs | undefined

afterEach(async () => {
  await acs?.close()
  acs = undefined
})

const fileBytes = (a: TestAcs) =>
  (a.bench.store.db.pragma('page_count', { simple: true }) as number) *
  (a.bench.store.db.pragma('page_size', { simple: true }) as number)

describe('stored bytes per session', () => {
  it('keeps each raw Inform once, deflated, and still gives the text to the event log and to sync', async () => {
    acs = await startAcs()
    const store = acs.bench.store
    const cpe = new ManualCpe(acs.url)
    const base = fileBytes(acs)
    const sessions = 300
    for (let i = 0; i < sessions; i++) {
      const [inform, done] = await plainSession(cpe, { events: ['2 PERIODIC'], id: `inform-${i}` })
      expect([inform!.status, done!.status]).toEqual([200, 204])
    }
    // One copy: the session's row (a routine session is one row, holding the Inform) and the
    // inform outbox row point at the same stored body.
    const shared = store.db
      .prepare(
        `SELECT e.seq AS seq, o.seq AS outboxSeq, length(b.body) AS stored FROM events e
           JOIN outbox o ON o.body_ref = e.soap_in_ref JOIN soap_bodies b ON b.id = e.soap_in_ref
           WHERE e.kind = 'session' ORDER BY e.seq`,
      )
      .all() as { seq: number; outboxSeq: number; stored: number }[]
    expect(shared).toHaveLength(sessions)
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'inform' AND payload <> ''").get()).toEqual(
      { n: 0 },
    )
    // Deflated, and read back as the text the CPE sent, by the UI and by the relay.
    const last = shared.at(-1)!
    const sent = informXml({ events: ['2 PERIODIC'], id: `inform-${sessions - 1}` })
    expect(store.events.soap(last.seq)!.soapIn).toBe(sent)
    expect(store.outbox.afterJson(last.outboxSeq - 1, 1)[0]!.payload).toBe(sent)
    expect(last.stored).toBeLessThan(Buffer.byteLength(sent) / 2)
    const perSession = (fileBytes(acs) - base) / sessions
    console.log(`SQLite bytes per periodic session (file growth over ${sessions}): ${Math.round(perSession)}`)
    expect(perSession).toBeGreaterThan(0)
  })

  it('pruning while sessions run changes nothing of them', async () => {
    acs = await startAcs({ retention: { eventsDays: 30, maxMb: 1, keepMinutes: 60, batchRows: 50 } })
    const { store, retention } = acs.bench
    // Old history to delete meanwhile: over the cap and past the age.
    appendOldHistory(store)
    const pruning = pruneMeanwhile(retention)
    const cpes = Array.from({ length: 5 }, () => new ManualCpe(acs!.url))
    await Promise.all(
      cpes.map(async (cpe, c) => {
        for (let i = 0; i < 10; i++) {
          const [inform, done] = await plainSession(cpe, {
            serial: `RET${c}`,
            events: ['2 PERIODIC'],
            interval: 300 + i,
          })
          expect([inform!.status, done!.status]).toEqual([200, 204])
        }
      }),
    )
    const steps = await pruning.stop()
    expect(steps).toBeGreaterThan(1)
    await retention.pass()
    expect(store.events.countMatching({ serial: 'OLD' })).toBe(0)
    for (let c = 0; c < 5; c++) {
      const serial = `RET${c}`
      expect(store.devices.get(serial)!.periodicInformInterval).toBe(309)
      // One row per routine session, holding its Inform.
      expect(store.events.countMatching({ serial })).toBe(10)
      const informs = store.events.query({ serial, kinds: ['session'], limit: 10 })
      expect(informs).toHaveLength(10)
      for (const e of informs)
        expect(store.events.soap(e.seq)!.soapIn).toContain(`<SerialNumber>${serial}</SerialNumber>`)
    }
    // Nothing was synced: every inform row is still in the outbox with its body.
    const informRows = store.outbox.after(0, 10_000).filter((r) => r.topic === 'inform')
    expect(informRows).toHaveLength(50)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
