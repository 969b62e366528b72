import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { devicePage, devicesPage } from './pages/devices'
import { simulatorPage } from './pages/simulator'

const start = useBench()

describe('Simulator page', () => {
  it('starts simulated CPEs that show up as devices, and stops them', async () => {
    const { page } = await start({ count: 0, path: '#/simulator' })
    const sim = simulatorPage(page)
    await sim.idle.waitFor()
    await sim.count.fill('3')
    await sim.prefix.fill('LAB')
    await sim.start.click()
    await sim.progress.filter({ hasText: '3 of 3 CPEs have informed' }).waitFor()
    await screenshot(page, 'simulator-running')

    await page.getByTestId('nav-devices').click()
    const list = devicesPage(page)
    await list.count.filter({ hasText: '3 devices' }).waitFor()
    expect(await list.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-serial')))).toEqual([
      'LAB000001',
      'LAB000002',
      'LAB000003',
    ])

    await sim.nav.click()
    await sim.stop.click()
    await sim.idle.waitFor()
  })

  it('makes one CPE refuse an RPC or go offline, as the real ACS then sees it (900 px)', async () => {
    const { app, page } = await start({ count: 0, path: '#/simulator', viewport: VIEWPORTS.narrow })
    const sim = simulatorPage(page)
    await sim.idle.waitFor()
    await sim.count.fill('2')
    await sim.prefix.fill('FLT')
    await sim.start.click()
    await sim.progress.filter({ hasText: '2 of 2 CPEs have informed' }).waitFor()

    // FLT000001 refuses GetParameterValues with 9001 (Request denied).
    await sim.faultSerial.fill('FLT000001')
    await sim.faultMethod.selectOption('GetParameterValues')
    await sim.faultCode.fill('9001')
    await sim.faultApply.click()
    await sim.faultedRow('FLT000001').filter({ hasText: 'refuses GetParameterValues (9001)' }).waitFor()
    // FLT000002 goes offline.
    await sim.faultSerial.fill('FLT000002')
    await sim.faultMethod.selectOption('')
    await sim.faultOffline.check()
    await sim.faultApply.click()
    await sim.faultedRow('FLT000002').filter({ hasText: 'offline' }).waitFor()
    await screenshot(page, 'simulator-faults-900')

    // The ACS gets the fault back from the CPE, on the device page.
    await page.goto(`${app.url}#/devices/FLT000001`)
    const device = devicePage(page)
    await device.refreshAll.click()
    await device.treeNote.filter({ hasText: '9001' }).waitFor()
    // The offline CPE does not answer its connection request.
    await page.goto(`${app.url}#/devices/FLT000002`)
    await page.getByTestId('action-wake').click()
    await device.actionResultIn('failed').waitFor()
    await screenshot(page, 'simulator-fault-offline-device')

    // Cleared, both answer again.
    await page.goto(`${app.url}#/simulator`)
    await sim.faultedRow('FLT000001').getByTestId('sim-fault-clear').click()
    await sim.faultedRow('FLT000002').getByTestId('sim-fault-clear').click()
    await sim.noFaults.waitFor()
    expect(app.bench.sim.status().faulted).toEqual([])
  })
})
