import { describe, expect, it } from 'vitest'
import { testImage } from '../files/helpers'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { dryRunPanel } from './pages/dry-run'

// A profile's "Dry run…" on the Profiles page (headless mode in Chromium): the technician picks a
// device, sees progress, then each step's outcome on a simulated stand-in of it; the real device
// gets no run and no provisioning state. A target the profile does not match says what to do.

const start = useBench()

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'
const INTERVAL = 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval'

describe.each(Object.entries(VIEWPORTS))('Profile dry run at %s width', (size, viewport) => {
  it('dry-runs a firmware + set values profile against a device and shows each step', async () => {
    const { app, fleet, serial, page } = await start({ serialPrefix: 'DRY', viewport })
    const { bench } = app
    await bench.acs.execute(serial, {
      method: 'SetParameterValues',
      parameterList: [{ name: SSID, value: 'bench-lab', type: 'xsd:string' }],
      parameterKey: '',
    })
    await bench.files.library.add(
      { name: 'fw-2.0.1.bin', content: testImage('2.0.1', 'BM632w', 20_000) },
      { version: '2.0.1', productClass: 'BM632w' },
    )
    bench.profiles.save({
      name: 'lab',
      match: { productClass: 'BM632w' },
      steps: [{ firmware: '2.0.1' }, { set: { [SSID]: 'bench-lab' } }, { set: { [INTERVAL]: 600 } }],
    })
    const version = bench.store.devices.get(serial)!.softwareVersion
    const sessions = fleet!.cpes[0]!.sessions
    await page.goto(`${app.url}#/profiles`)
    const dry = dryRunPanel(page)
    await dry.open('lab')
    await expect.poll(() => dry.device.inputValue()).toBe(serial)

    await dry.start.click()
    // Progress: the run can be stopped while it goes, then each step's outcome.
    await dry.stop.waitFor()
    await dry
      .summaryIn('done')
      .filter({ hasText: 'Dry run done: 2 would apply, 1 already holds, 0 would fail.' })
      .waitFor({ timeout: 60_000 })
    expect(await dry.steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual([
      'would-apply',
      'held',
      'would-apply',
    ])
    expect(await dry.steps.first().textContent()).toContain('→ 2.0.1 (fw-2.0.1.bin)')
    expect(await dry.panel.textContent()).toContain(`standing in for ${serial}`)
    await screenshot(page, `profile-dry-run-${size}`)
    // The real device: not contacted, no run, no provisioning state, still on its version.
    expect(bench.profiles.runs()).toEqual([])
    expect(bench.profiles.states()).toEqual({})
    expect(bench.store.devices.get(serial)!.softwareVersion).toBe(version)
    expect(fleet!.cpes[0]!.sessions).toBe(sessions)
    expect(bench.store.devices.list().map((d) => d.serial)).toEqual([serial])

    // A product class the profile does not match: nothing runs, and the note says what to do.
    await dry.byMatch.check()
    await dry.productClass.fill('HG8245')
    await dry.start.click()
    await dry.error.filter({ hasText: 'Profile "lab" does not match a simulated HG8245' }).waitFor()
    expect(await dry.error.textContent()).toContain('fix the target or the profile and start again')
  })
})
