// What a routine session no longer reads or writes every time (docs/performance.md): the gaps
// between Informs kept in memory, the capability row written only when the offline threshold drawn
// from them changes, and the trust policy read from memory — while what is stored, what survives a
// restart and what the technician changes stay exactly as before.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { CapabilityStore, overdueFromGaps } from '../../main/core/acs/capabilities'
import { informXml, ManualCpe, plainSession, startAcs, type TestAcs } from './helpers'

const running: TestAcs[] = []
const dirs: string[] = []
const cpes: ManualCpe[] = []

afterEach(async () => {
  for (const c of cpes.splice(0)) c.close()
  for (const a of running.splice(0)) await a.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** One periodic session of `serial` that the ACS sees `gapSeconds` after the one before. */
async function informAfter(acs: TestAcs, serial: string, gapSeconds: number): Promise<void> {
  acs.bench.store.devices.upsert(serial, { lastInform: Date.now() - gapSeconds * 1000 })
  const cpe = new ManualCpe(acs.url)
  cpes.push(cpe)
  const [inform, end] = await plainSession(cpe, { serial, events: ['2 PERIODIC'] })
  expect(inform?.status).toBe(200)
  expect(end?.status).toBe(204)
}

/** The row as stored, read the way the command line reads it (no cache). */
function storedRow(acs: TestAcs, serial: string): { gaps: number[]; updatedAt: number } {
  const row = acs.bench.store.db
    .prepare('SELECT inform_gaps, updated_at FROM device_capabilities WHERE serial = ?')
    .get(serial) as { inform_gaps: string; updated_at: number }
  return { gaps: JSON.parse(row.inform_gaps) as number[], updatedAt: row.updated_at }
}

describe('the routine session hot path', () => {
  it('keeps inform gaps in memory, writes the capability row only when the offline threshold changes, and resumes with the same threshold after a restart', async () => {
    const first = await startAcs()
    running.push(first)
    const serial = 'GAPS1'
    const cpe = new ManualCpe(first.url)
    cpes.push(cpe)
    await plainSession(cpe, { serial })
    for (const gap of [300, 300, 900]) await informAfter(first, serial, gap)
    expect(first.bench.acs.capabilities(serial).informGaps).toEqual([300, 300, 900])
    expect(storedRow(first, serial).gaps).toEqual([300, 300, 900])

    // Routine gaps below the longest: the threshold stays, so the row is not written again…
    const before = storedRow(first, serial)
    await new Promise((r) => setTimeout(r, 5))
    for (const gap of [300, 301]) await informAfter(first, serial, gap)
    expect(first.bench.acs.capabilities(serial).informGaps).toEqual([300, 300, 900, 300, 301])
    expect(storedRow(first, serial)).toEqual(before)
    // …while what the device does otherwise is still stored at once.
    expect(new CapabilityStore(first.bench.store).get(serial)).toMatchObject({ auth: 'none', cookies: 'kept' })

    // A longer gap changes the threshold: written.
    await informAfter(first, serial, 1200)
    expect(storedRow(first, serial).gaps).toEqual([300, 300, 900, 300, 301, 1200])
    await informAfter(first, serial, 300)
    const threshold = overdueFromGaps(first.bench.acs.capabilities(serial).informGaps, 0)
    expect(threshold).toBe(2 * 1200 * 1000)

    // Restart on the same database: the same threshold, from the row.
    dirs.push(first.dir)
    running.splice(running.indexOf(first), 1)
    await first.bench.close()
    const second = await startAcs({ dataDir: first.dir })
    running.push(second)
    const after = second.bench.acs.capabilities(serial)
    expect(overdueFromGaps(after.informGaps, 0)).toBe(threshold)
    expect(after).toMatchObject({ auth: 'none', cookies: 'kept', connection: 'kept' })
    await informAfter(second, serial, 60)
    expect(second.bench.acs.capabilities(serial).informGaps.at(-1)).toBe(60)
  })

  it('applies a trust change at once although policies are read from memory: revoking matching by address refuses the next cookie-less message', async () => {
    const acs = await startAcs()
    running.push(acs)
    const loose = new ManualCpe(acs.url, { keepAlive: false, useCookie: false })
    cpes.push(loose)
    await loose.post(informXml({ serial: 'TRUST1' }))
    expect((await loose.post(null)).status).toBe(400)
    acs.bench.acs.setDevicePolicy('TRUST1', { matchByAddress: true })
    await loose.post(informXml({ serial: 'TRUST1', events: ['2 PERIODIC'] }))
    expect((await loose.post(null)).status).toBe(204)
    // The session's Inform read (and kept) the policy; revoking it counts from the next message.
    await loose.post(informXml({ serial: 'TRUST1', events: ['2 PERIODIC'] }))
    acs.bench.acs.setDevicePolicy('TRUST1', { matchByAddress: false })
    expect((await loose.post(null)).status).toBe(400)
    expect(acs.bench.acs.devicePolicy('TRUST1').matchByAddress).toBeUndefined()
    // The address the Inform taught is kept alongside.
    expect(acs.bench.acs.devicePolicy('TRUST1').sessionAddress).toBe('127.0.0.1')
  })
})
