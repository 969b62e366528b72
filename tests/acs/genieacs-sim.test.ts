import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installGenieacsSim, startGenieacsSim, type GenieacsSim } from './genieacs-sim'
import { nextEvent, startAcs, until, type TestAcs } from './helpers'

let dir: string
let acs: TestAcs
let sim: GenieacsSim
const SERIALS = ['000000', '000001', '000002']

beforeAll(async () => {
  dir = installGenieacsSim()
  acs = await startAcs({ cwmp: { discoverOnBootstrap: true } })
  sim = startGenieacsSim(dir, acs.url, SERIALS.length)
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  sim?.remove()
  await acs?.close()
})

describe('genieacs-sim, a real third-party CPE without partial-path support', () => {
  it('informs, is discovered leaf by leaf, answers partial-path reads, SPV and a connection request, and never crashes', async () => {
    const { bench } = acs
    // Discovery: model, connection request username and inform interval, read without a partial path.
    await until(() =>
      SERIALS.every((s) => {
        const d = bench.store.devices.get(s)
        return d?.model === 'BM632w' && d.periodicInformInterval === 300 && d.connectionRequestUsername !== ''
      }),
    )
    for (const serial of SERIALS) {
      expect(bench.store.devices.get(serial)).toMatchObject({ connectionRequestUsername: '202BC1-BM632w-000000' }) // from its data model CSV
      expect(bench.acs.capabilities(serial)).toMatchObject({
        partialPaths: 'unknown',
        cookies: 'kept',
        connection: 'kept',
        auth: 'basic',
      })
    }
    const serial = SERIALS[1]!
    await until(() => !bench.acs.inSession(serial))

    // A script's partial-path read: the device is woken by a connection request and read leaf by leaf.
    const woke = nextEvent(bench, 'device.informed', (e) => e.device.serial === serial)
    const [run] = bench.scripts.runSource({
      name: 'partial read',
      source: `local v, err = get_parameter_values(DEVICE, "InternetGatewayDevice.DeviceInfo.")
if not v then error(err.message) end
print(v["InternetGatewayDevice.DeviceInfo.ModelName"], v["InternetGatewayDevice.DeviceInfo.SerialNumber"])
local ok, e2 = set_parameter_values(DEVICE, { ["InternetGatewayDevice.ManagementServer.PeriodicInformInterval"] = { value = "600", type = "xsd:unsignedInt" } })
if not ok then error(e2.message) end
local w = get_parameter_values(DEVICE, { "InternetGatewayDevice.ManagementServer." })
print(w["InternetGatewayDevice.ManagementServer.PeriodicInformInterval"])`,
      target: { kind: 'devices', serials: [serial] },
    })
    const done = await bench.scripts.wait(run!.id)
    const output = bench.scripts.output(done.id).map((l) => l.text)
    expect(done.status, output.join('\n')).toBe('ok')
    expect(output).toEqual([`BM632w\t${serial}`, '600'])
    expect((await woke).events.map((e) => e.code)).toContain('6 CONNECTION REQUEST')
    expect(
      bench.store.parameters.get(serial, 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval'),
    ).toMatchObject({ value: '600' })
    // Nothing it could not take was sent, so no simulated CPE died (its master restarts dead ones).
    expect(sim.deaths()).toEqual([])
    expect(sim.process.exitCode).toBeNull()
    expect(sim.lines.filter((l) => /started$/.test(l))).toHaveLength(SERIALS.length)
  })
})
