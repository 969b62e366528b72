import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SECRET_PLACEHOLDER } from '../../main/core/settings'
import { useBrowser, screenshot, startApp, type App } from './harness'
import { settingsPage } from './pages/app'
import { devicesPage } from './pages/devices'

const open = useBrowser()
let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('Bad addresses, secrets and picked files (headless mode in Chromium)', () => {
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

  it('shows a stored password as set, keeps it on an unchanged save, and takes a file chosen in the page', async () => {
    app = await startApp()
    const page = await open(`${app.url}#/settings`)
    const settings = settingsPage(page)
    const crPassword = page.locator('input[type="password"]').nth(1)
    await settings.save.waitFor()
    expect(await crPassword.inputValue()).toBe(SECRET_PLACEHOLDER)
    await page.getByLabel('Memory per run (MB)').fill('96')
    await settings.save.click()
    await settings.notes.first().waitFor()
    expect(app.bench.config.scripts.memoryMb).toBe(96)
    expect(app.bench.config.connectionRequest.password).toBe('cr')

    await page.goto(`${app.url}#/sync`)
    await page.getByLabel('Authentication').selectOption('creds')
    await page.getByTestId('sync-creds-file-file').setInputFiles({
      name: 'bench.creds',
      mimeType: 'text/plain',
      buffer: Buffer.from('-----BEGIN NATS USER JWT-----\n'),
    })
    await expect.poll(() => page.getByTestId('sync-creds-file').inputValue()).toMatch(/-bench\.creds$/)
    await page.getByTestId('sync-save').click()
    await page.getByTestId('sync-save-result').waitFor()
    const auth = app.bench.sync.settings().nats.auth
    expect(auth.kind === 'creds' && dirname(auth.file)).toBe(join(app.dir, 'picked'))
    await screenshot(page, 'picked-creds-file')
  })
})
