import { afterEach, describe, expect, it } from 'vitest'
import { nextEvent, until } from '../acs/helpers'
import { runToEnd, startBench, type TestBench } from '../lua/helpers'
import { fetchRaw, testImage } from './helpers'

// Simulated CPEs fetching from and uploading to the built-in file server, over real HTTP, driven
// by Lua scripts as a technician would.

let tb: TestBench | undefined
afterEach(async () => {
  await tb?.close()
  tb = undefined
})

const IGD = 'InternetGatewayDevice.'

describe('firmware and configuration through the file library', () => {
  it('upgrades a simulated CPE: it fetches the image, reboots with 1 BOOT + M Download, and reports the new version', async () => {
    tb = await startBench()
    const fleet = await tb.sims({ count: 1, model: 'tr098' })
    const cpe = fleet.cpes[0]!
    const serial = cpe.serial
    const before = tb.bench.store.devices.get(serial)!
    expect(before.softwareVersion).not.toBe('2.0.1')
    await tb.bench.files.library.add({ content: testImage('2.0.1', before.productClass), name: 'fw-2.0.1.bin' })
    expect(tb.bench.files.library.findFirmware(before.productClass, '2.0.1')?.name).toBe('fw-2.0.1.bin')

    const booted = nextEvent(
      tb.bench,
      'device.informed',
      (e) => e.device.serial === serial && e.events.some((x) => x.code === '1 BOOT'),
    )
    const fetched = nextEvent(tb.bench, 'file.fetch', (e) => e.state === 'complete')
    const { run, lines } = await runToEnd(
      tb.bench,
      `local ok, r = download(DEVICE, { file = "fw-2.0.1.bin", wait = true })
       print(ok, ok and r.complete_time ~= nil or r.message)`,
      { target: { kind: 'devices', serials: [serial] } },
    )
    expect(run.status, JSON.stringify(lines)).toBe('ok')
    expect(lines).toEqual(['true\ttrue'])
    const boot = await booted
    expect(boot.events.map((e) => e.code)).toEqual(
      expect.arrayContaining(['1 BOOT', '7 TRANSFER COMPLETE', 'M Download']),
    )
    // The fetch came from the device's Download URL, on the address its sessions arrive on.
    const fetch = await fetched
    expect(fetch).toMatchObject({ name: 'fw-2.0.1.bin', serial, percent: 100 })
    expect(cpe.get(`${IGD}DeviceInfo.SoftwareVersion`)).toBe('2.0.1')
    await until(() => tb!.bench.store.devices.get(serial)!.softwareVersion === '2.0.1')
    expect(tb.bench.files.library.get('fw-2.0.1.bin')!.downloads).toBe(1)
    const log = tb.bench.store.events
      .query({ serial })
      .filter((e) => e.kind === 'transfer')
      .map((e) => e.summary)
    expect(log.some((s) => /Download ".*" completed/.test(s))).toBe(true)
  })

  it('leaves the version of a CPE given firmware of unknown version, and refuses an image for another product class', async () => {
    tb = await startBench()
    const fleet = await tb.sims({ count: 1, model: 'tr098' })
    const cpe = fleet.cpes[0]!
    const version = cpe.get(`${IGD}DeviceInfo.SoftwareVersion`)
    await tb.bench.files.library.add({ content: Buffer.alloc(50_000, 9), name: 'mystery.bin' })
    await tb.bench.files.library.add({ content: testImage('9.9.9', 'OtherBox'), name: 'other.bin' })
    const { lines } = await runToEnd(
      tb.bench,
      `local ok, r = download(DEVICE, { file = "mystery.bin", wait = true })
       print("mystery", ok)
       ok, r = download(DEVICE, { file = "other.bin", wait = true })
       print("other", ok, r.code)`,
      { target: { kind: 'devices', serials: [cpe.serial] } },
    )
    expect(lines).toEqual(['mystery\ttrue', 'other\tfalse\t9018'])
    expect(cpe.get(`${IGD}DeviceInfo.SoftwareVersion`)).toBe(version)
  })

  it('backs up one CPE’s configuration into the library and restores it on another', async () => {
    tb = await startBench()
    const fleet = await tb.sims({ count: 2, model: 'tr098' })
    const [a, b] = fleet.cpes as [(typeof fleet.cpes)[0], (typeof fleet.cpes)[0]]
    const ssid = `${IGD}LANDevice.1.WLANConfiguration.1.SSID`
    const { lines: set } = await runToEnd(
      tb.bench,
      `print(set_parameter_values(DEVICE, {["${ssid}"] = "Cloned-SSID"}))`,
      { target: { kind: 'devices', serials: [a.serial] } },
    )
    expect(set[0]).toMatch(/^0|true/)
    expect(b.get(ssid)).not.toBe('Cloned-SSID')

    const { run, lines } = await runToEnd(
      tb.bench,
      `local ok, r = upload("${a.serial}", { type = "config", wait = true })
       if not ok then error(r.message) end
       print(r.file)
       local ok2, r2 = download("${b.serial}", { file = r.file, wait = true })
       print(ok2, ok2 or r2.message)`,
    )
    expect(run.status, JSON.stringify(lines)).toBe('ok')
    const name = lines[0]!
    const file = tb.bench.files.library.get(name)!
    expect(file).toMatchObject({ ownerSerial: a.serial, fileType: '3 Vendor Configuration File' })
    expect(file.description).toMatch(new RegExp(`^configuration backup of ${a.serial}, 20\\d\\d-`))
    expect(lines[1]).toBe('true\ttrue')
    expect(b.get(ssid)).toBe('Cloned-SSID')

    // A device's upload is not a public library file: its plain URL is a 404 for anyone.
    const base = tb.url.replace(/\/$/, '')
    expect((await fetchRaw(`${base}/files/${name}`)).status).toBe(404)
    // The clone's fetch came through its own Download URL, which names it in the fetch log.
    expect(tb.bench.files.library.fetches(name).map((f) => [f.serial, f.outcome])).toEqual([[b.serial, 'complete']])
  })
})
