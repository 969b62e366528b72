/**
 * Offline detection (status.ts, issue #10): a device is overdue after twice its
 * PeriodicInformInterval (reported in an Inform, or read at discovery) plus a minute, else after
 * twice the longest gap seen between its Informs plus a minute, else after 30 minutes. The ACS's
 * clock is injected (AcsOptions.now): Informs over real HTTP are stamped with it and the status
 * sweep reads it, so hours pass in a test without waiting.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_OVERDUE_MS, OVERDUE_GRACE_MS } from '../../main/core/acs/status'
import { DeviceStatus } from '../../main/core/store'
import { answerUntilEnd, informXml, ManualCpe, startAcs, type TestAcs } from './helpers'

const IGD = 'InternetGatewayDevice'
const T0 = Date.UTC(2026, 0, 1, 8, 0, 0)

let acs: TestAcs | undefined
const cpes: ManualCpe[] = []
afterEach(async () => {
  for (const c of cpes.splice(0)) c.close()
  await acs?.close()
  acs = undefined
})

/** An ACS whose clock stands still until the test moves it. */
async function acsAt(config: Parameters<typeof startAcs>[0] = {}) {
  const clock = { t: T0 }
  acs = await startAcs(config, { now: () => clock.t })
  return { clock, bench: acs.bench }
}

/** Inform params without PeriodicInformInterval: the ACS does not learn the interval from them. */
const params = [
  { name: `${IGD}.DeviceInfo.SoftwareVersion`, value: '1.0', type: 'xsd:string' },
  { name: `${IGD}.ManagementServer.ConnectionRequestURL`, value: 'http://127.0.0.1:1/cr', type: 'xsd:string' },
]

async function session(serial: string, events = ['2 PERIODIC']) {
  const cpe = new ManualCpe(acs!.url)
  cpes.push(cpe)
  expect((await cpe.post(informXml({ serial, events, params }))).status).toBe(200)
  expect((await cpe.post(null)).status).toBe(204)
}

const status = (serial: string) => acs!.bench.store.devices.get(serial)?.status

describe('offline detection', () => {
  it('without a known interval, uses the gaps between its Informs once two were seen', async () => {
    const { clock, bench } = await acsAt()
    await session('GAPS', ['1 BOOT'])
    expect(bench.store.devices.get('GAPS')).toMatchObject({ periodicInformInterval: null, lastInform: T0 })

    // One gap is not enough to go by (it may be a reboot right after the first Inform): 30 minutes.
    clock.t = T0 + 100_000
    await session('GAPS')
    clock.t += DEFAULT_OVERDUE_MS - 1_000
    expect(bench.acs.sweep()).toEqual([])
    expect(status('GAPS')).toBe(DeviceStatus.Online)

    // Two gaps of 100 s: overdue 2 × 100 s + the grace after the last Inform.
    clock.t = T0 + 200_000
    await session('GAPS')
    const deadline = clock.t + 2 * 100_000 + OVERDUE_GRACE_MS
    clock.t = deadline - 1_000
    expect(bench.acs.sweep()).toEqual([])
    expect(status('GAPS')).toBe(DeviceStatus.Online)
    clock.t = deadline + 1_000
    expect(bench.acs.sweep().map((d) => [d.serial, d.status])).toEqual([['GAPS', DeviceStatus.Offline]])
    const logged = bench.store.events.query({ serial: 'GAPS', kinds: ['system'] })
    expect(logged[0]?.summary).toBe(
      `GAPS is offline: no Inform since ${new Date(T0 + 200_000).toISOString()} (its Informs came at most 100 s apart)`,
    )

    // Its next Inform brings it back.
    await session('GAPS')
    expect(status('GAPS')).toBe(DeviceStatus.Online)
  })

  it('with an interval read at discovery, uses that interval and not the gaps', async () => {
    const { clock, bench } = await acsAt({ cwmp: { discoverOnBootstrap: true } })
    const cpe = new ManualCpe(acs!.url)
    cpes.push(cpe)
    await cpe.post(informXml({ serial: 'READ', events: ['0 BOOTSTRAP'], params }))
    const leaves: Record<string, string[]> = {
      [`${IGD}.ManagementServer.`]: [`${IGD}.ManagementServer.PeriodicInformInterval`],
    }
    const { reply } = await answerUntilEnd(cpe, await cpe.post(null), {
      names: (path) => leaves[path] ?? [],
      values: (names) => ({
        method: 'GetParameterValuesResponse',
        parameterList: names.map((name) => ({ name, value: '120', type: 'xsd:unsignedInt' })),
      }),
    })
    expect(reply.status).toBe(204)
    expect(bench.store.devices.get('READ')).toMatchObject({ periodicInformInterval: 120, lastInform: T0 })

    // Gaps of 1000 s would allow 2060 s; the interval says 2 × 120 s + the grace.
    clock.t = T0 + 1_000_000
    await session('READ')
    clock.t += 1_000_000
    await session('READ')
    const deadline = clock.t + 2 * 120_000 + OVERDUE_GRACE_MS
    clock.t = deadline - 1_000
    expect(bench.acs.sweep()).toEqual([])
    clock.t = deadline + 1_000
    expect(bench.acs.sweep().map((d) => [d.serial, d.status])).toEqual([['READ', DeviceStatus.Offline]])
    expect(bench.store.events.query({ serial: 'READ', kinds: ['system'] })[0]?.summary).toMatch(
      /READ is offline: no Inform since .* \(it informs every 120 s\)$/,
    )
  })

  it('with nothing to go by, waits 30 minutes', async () => {
    const { clock, bench } = await acsAt()
    await session('NONE', ['1 BOOT'])
    clock.t = T0 + DEFAULT_OVERDUE_MS - 1_000
    expect(bench.acs.sweep()).toEqual([])
    clock.t = T0 + DEFAULT_OVERDUE_MS + 1_000
    expect(bench.acs.sweep().map((d) => d.serial)).toEqual(['NONE'])
  })
})
