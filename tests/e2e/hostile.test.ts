import { afterEach, describe, expect, it } from 'vitest'
import { useBrowser, screenshot, startApp, type App } from './harness'
import { devicesPage } from './pages/devices'

const open = useBrowser()
let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('Bad addresses (headless mode in Chromium)', () => {
  it('shows "no such page" for an address with a malformed escape, and links back to the devices', async () => {
    app = await startApp()
    const page = await open(`${app.url}#/devices/%E0%A4%A`)
    const notFound = page.getByTestId('not-found')
    await notFound.waitFor()
    expect(await notFound.textContent()).toContain('#/devices/%E0%A4%A')
    await screenshot(page, 'bad-address')
    await notFound.getByRole('link').click()
    await devicesPage(page).empty.waitFor()
  })
})
