import { afterEach, describe, expect, it } from 'vitest'
import { useBrowser, screenshot, startApp, type App } from './harness'
import { devicesPage } from './pages/devices'
import { simulatorPage } from './pages/simulator'

const open = useBrowser()
let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('Simulator page', () => {
  it('starts simulated CPEs that show up as devices, and stops them', async () => {
    app = await startApp()
    const page = await open(`${app.url}#/simulator`)
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
})
