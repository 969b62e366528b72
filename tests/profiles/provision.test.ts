import { afterEach, describe, expect, it } from 'vitest'
import type { Bench } from '../../main/core/bench'
import type { ProfileRun } from '../../main/core/profiles'
import { testImage } from '../files/helpers'
import { startBench, type TestBench } from '../lua/helpers'

// Profiles against real parts: the real ACS over HTTP, simulated CPEs that BOOTSTRAP, fetch the
// image from the real file server, reboot and report TransferComplete, and a real SQLite file.

let tb: TestBench | undefined
afterEach(async () => {
  await tb?.close()
  tb = undefined
})

const IGD = 'InternetGatewayDevice.'
const SSID = `${IGD}LANDevice.1.WLANConfiguration.1.SSID`
const INTERVAL = `${IGD}ManagementServer.PeriodicInformInterval`
const PORTS = `${IGD}WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.`
const POOLS = `${IGD}LANDevice.1.LANHostConfigManagement.DHCPConditionalServingPool.`

const PROFILE = {
  name: 'bench default',
  description: 'firmware 2.0.1, the bench SSID, a port mapping, no camera pool',
  match: { productClass: 'BM63*', manufacturer: 'Huawei*' },
  when: { events: ['0 BOOTSTRAP', '1 BOOT'] },
  steps: [
    { firmware: '2.0.1' },
    { set: { [SSID]: 'bench-lab', [INTERVAL]: 600 } },
    { addObject: PORTS, match: { ExternalPort: 8080 }, set: { InternalPort: 80, PortMappingEnabled: true } },
    { deleteObject: POOLS, match: { VendorClassID: 'Camera' } },
  ],
}

/** Resolves with the first ended run of each of `count` devices, from now on. */
function endedRuns(bench: Bench, count: number): Promise<Map<string, ProfileRun>> {
  const ended = new Map<string, ProfileRun>()
  return new Promise((resolve) => {
    const off = bench.events.on('profile.run', ({ run }) => {
      if (run.status === 'running' || ended.has(run.serial)) return
      ended.set(run.serial, run)
      if (ended.size === count) {
        off()
        resolve(ended)
      }
    })
  })
}

describe('provisioning profiles', () => {
  it('upgrades and configures 20 CPEs that BOOTSTRAP at once, then finds everything held on their next boot', async () => {
    tb = await startBench()
    const { bench } = tb
    await bench.files.library.add({ content: testImage('2.0.1', 'BM632w'), name: 'fw-2.0.1.bin' })
    const profile = bench.profiles.save(PROFILE)
    expect(profile).toMatchObject({ name: 'bench default', version: 1, enabled: true })

    const first = endedRuns(bench, 20)
    const fleet = await tb.sims({ count: 20, model: 'tr098' })
    const runs = await first
    for (const cpe of fleet.cpes) {
      const run = runs.get(cpe.serial)!
      expect(run.status, JSON.stringify(run.steps)).toBe('done')
      expect(run.trigger).toBe('0 BOOTSTRAP')
      expect(run.steps.map((s) => s.outcome)).toEqual(['applied', 'applied', 'applied', 'applied'])
      expect(run.steps[0]!.detail).toMatch(/→ 2\.0\.1 \(fw-2\.0\.1\.bin\)/)
      // The CPE itself holds what the profile says.
      expect(cpe.get(`${IGD}DeviceInfo.SoftwareVersion`)).toBe('2.0.1')
      expect(cpe.get(SSID)).toBe('bench-lab')
      expect(cpe.get(INTERVAL)).toBe('600')
      const mapping = [1, 2, 3].find((n) => cpe.get(`${PORTS}${n}.ExternalPort`) === '8080')
      expect(mapping, cpe.serial).toBeDefined()
      expect(cpe.get(`${PORTS}${mapping}.InternalPort`)).toBe('80')
      expect(cpe.get(`${POOLS}3.VendorClassID`)).toBeUndefined()
      expect(cpe.get(`${POOLS}2.VendorClassID`)).toBe('Phone')
      // The reboot's "1 BOOT" came while the run was under way: no second run overlapped it.
      expect(bench.profiles.runs({ serial: cpe.serial })).toHaveLength(1)
    }
    expect(bench.files.library.get('fw-2.0.1.bin')!.downloads).toBe(20)
    expect(bench.profiles.states()).toEqual(Object.fromEntries(fleet.cpes.map((c) => [c.serial, 'done'])))
    // Each run's outcome went to the sync outbox, the final one last.
    const synced = bench.store.outbox
      .after(0, 100_000)
      .filter((r) => r.topic === 'provisioning')
      .map((r) => r.payload as ProfileRun)
    for (const cpe of fleet.cpes) {
      const mine = synced.filter((r) => r.serial === cpe.serial)
      expect(mine.at(-1)).toMatchObject({ id: runs.get(cpe.serial)!.id, status: 'done' })
    }

    // Next boot: the profile runs again and finds every step already held; nothing is sent.
    const second = endedRuns(bench, 20)
    await Promise.all(fleet.cpes.map((c) => c.restart()))
    const again = await second
    for (const cpe of fleet.cpes) {
      const run = again.get(cpe.serial)!
      expect(run.trigger).toBe('1 BOOT')
      expect(run.status).toBe('done')
      expect(run.steps.map((s) => s.outcome)).toEqual(['held', 'held', 'held', 'held'])
    }
    expect(bench.files.library.get('fw-2.0.1.bin')!.downloads).toBe(20)
    const mappings = (cpe: (typeof fleet.cpes)[number]) =>
      [1, 2, 3, 4].filter((n) => cpe.get(`${PORTS}${n}.ExternalPort`) === '8080').length
    expect(fleet.cpes.map(mappings)).toEqual(fleet.cpes.map(() => 1))
  })

  it('records why a step failed and leaves the rest not run: no image in the library, a device that cannot be reached', async () => {
    tb = await startBench()
    const { bench } = tb
    const fleet = await tb.sims({ count: 1, model: 'tr098' })
    const serial = fleet.cpes[0]!.serial
    bench.profiles.save({ ...PROFILE, when: { events: [] }, steps: [{ firmware: '9.9' }, PROFILE.steps[1]] })
    const [id] = bench.profiles.runOn('bench default', [serial])
    const run = await bench.profiles.wait(id!)
    expect(run.status).toBe('failed')
    expect(run.steps[0]).toMatchObject({ outcome: 'failed', failure: 'error' })
    expect(run.steps[0]!.detail).toMatch(/no firmware image of version 9\.9 for product class "BM632w"/)
    expect(run.steps[1]).toMatchObject({ outcome: 'not-run' })
    expect(fleet.cpes[0]!.get(SSID)).not.toBe('bench-lab')
    expect(bench.profiles.states()[serial]).toBe('failed')

    bench.profiles.save({ ...PROFILE, name: 'ssid only', when: { events: [] }, steps: [PROFILE.steps[1]] })
    await fleet.stop()
    const [gone] = bench.profiles.runOn('ssid only', [serial])
    const unreachable = await bench.profiles.wait(gone!)
    expect(unreachable.steps[0]).toMatchObject({ outcome: 'failed', failure: 'unreachable' })
    expect(unreachable.steps[0]!.detail).toMatch(/connection request/)
  })

  it('answers a CPE fault with the fault code', async () => {
    tb = await startBench()
    const { bench } = tb
    const fleet = await tb.sims({ count: 1, model: 'tr098' })
    bench.profiles.save({ name: 'bad path', steps: [{ set: { [`${IGD}NoSuch.Thing`]: 'x' } }] })
    const run = await bench.profiles.wait(bench.profiles.runOn('bad path', [fleet.cpes[0]!.serial])[0]!)
    expect(run.steps[0]).toMatchObject({ outcome: 'failed', failure: 'fault', faultCode: 9005 })
  })
})
