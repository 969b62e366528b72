import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { simulatorFleet, simulatorPage } from './pages/simulator'

const start = useBench()

// While a fleet runs, the Simulator page shows that fleet — its count, model, serials and inform
// interval — with a Stop, never a start form whose defaults suggest something else is running.
describe.each(Object.entries(VIEWPORTS))('Simulator page with a fleet running at %s width', (size, viewport) => {
  it('shows the running fleet’s own settings instead of the start form, live and after a reload', async () => {
    const { app, page } = await start({ count: 0, path: '#/simulator', viewport })
    const sim = simulatorPage(page)
    const fleet = simulatorFleet(page)
    await sim.idle.waitFor()
    await fleet.form.waitFor()

    // Started elsewhere (another window, a browser tab) with settings unlike the form's defaults.
    await app.bench.sim.start({ count: 2, model: 'tr181', serialPrefix: 'RUN', periodicInformInterval: 60 })
    await sim.progress.filter({ hasText: '2 of 2 CPEs have informed' }).waitFor({ timeout: 30_000 })
    const shown = async () => {
      expect(await fleet.form.count()).toBe(0)
      expect(await sim.count.count()).toBe(0)
      expect(await sim.start.count()).toBe(0)
      expect(await fleet.count.textContent()).toBe('2')
      expect(await fleet.model.textContent()).toContain('TR-181')
      expect(await fleet.serials.textContent()).toBe('RUN000001 … RUN000002')
      expect(await fleet.interval.textContent()).toBe('every 60 s')
      expect(await sim.stop.isEnabled()).toBe(true)
    }
    await shown()
    await screenshot(page, `simulator-running-fleet-${size}`)
    await page.reload()
    await sim.progress.filter({ hasText: '2 of 2 CPEs have informed' }).waitFor()
    await shown()

    // Stopped: the form comes back, and what it starts is what the card then shows.
    await sim.stop.click()
    await sim.idle.waitFor()
    await sim.count.fill('3')
    await sim.prefix.fill('LAB')
    await fleet.intervalInput.fill('0')
    await sim.start.click()
    await sim.progress.filter({ hasText: '3 of 3 CPEs have informed' }).waitFor({ timeout: 30_000 })
    expect(await fleet.count.textContent()).toBe('3')
    expect(await fleet.model.textContent()).toContain('TR-098')
    expect(await fleet.serials.textContent()).toBe('LAB000001 … LAB000003')
    expect(await fleet.interval.textContent()).toBe('off')
    expect(app.bench.sim.status()).toMatchObject({ count: 3, serialPrefix: 'LAB', periodicInformInterval: 0 })
    await sim.stop.click()
    await sim.idle.waitFor()
  })
})
