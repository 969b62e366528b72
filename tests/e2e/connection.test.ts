import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { screenshot, useBench } from './harness'
import { appShell, settingsPage } from './pages/app'
import { devicesPage } from './pages/devices'

const start = useBench()
let blocker: Server | undefined
afterEach(async () => {
  await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()))
  blocker = undefined
})

describe('Connection and listener state (headless mode in Chromium)', () => {
  it('comes back after losing the server and shows what happened meanwhile, without a reload', async () => {
    const { app, page, sims } = await start({ count: 0, acceptDialogs: false })
    const shell = appShell(page)
    const list = devicesPage(page)
    await list.empty.waitFor()

    await app.stopUi()
    await shell.reconnecting.waitFor()
    // A CPE informs while the UI is away: no stream carries it to the page.
    await sims({ count: 1, serialPrefix: 'AWAY' })
    // A search typed meanwhile waits for the server rather than failing.
    await list.search.fill('AWAY')
    await screenshot(page, 'connection-lost')

    await app.startUi()
    await shell.reconnecting.waitFor({ state: 'detached' })
    await list.row('AWAY000001').waitFor()
    expect(await list.count.textContent()).toBe('1 matching')
    expect(await page.getByTestId('error').count()).toBe(0)
    await screenshot(page, 'connection-back')
  })

  it('says the ACS is not listening on every page until another port is saved', async () => {
    blocker = createServer()
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', () => r()))
    const taken = (blocker.address() as { port: number }).port
    const { app, page } = await start({ config: { cwmp: { port: taken } }, count: 0, acceptDialogs: false })
    expect(app.bench.acs.address).toBeFalsy()
    const shell = appShell(page)
    await shell.acsDown.filter({ hasText: String(taken) }).waitFor()
    await screenshot(page, 'acs-not-listening')

    await shell.acsDown.getByRole('link').click()
    const settings = settingsPage(page)
    await settings.port.fill('0')
    await settings.dirty.waitFor()
    await settings.save.click()
    await settings.notes.filter({ hasText: 'restarted' }).waitFor()
    await page.getByTestId('nav-devices').click()
    await devicesPage(page).empty.waitFor()
    expect(await shell.acsDown.count()).toBe(0)
    expect(app.bench.acs.address?.port).toBeGreaterThan(0)
  })
})
