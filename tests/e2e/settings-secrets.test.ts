import { describe, expect, it } from 'vitest'
import { STORED_CONFIG_KEY } from '../../main/core/settings'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { settingsPage } from './pages/app'

// Settings → "Secrets in the event log" (cwmp.keepSecretsInLog) in Chromium, headless mode: ticked,
// saved through settings.save, still ticked after a reload, and in the bench's config and saved settings.

const start = useBench()

describe.each(Object.entries(VIEWPORTS))('Keep secrets in the event log at %s width', (size, viewport) => {
  it('is ticked, saved and still ticked after a reload; the bench config has it', async () => {
    const { app, page } = await start({ count: 0, path: '#/settings', viewport })
    const settings = settingsPage(page)
    // Found by its label (what it does), off by default, the risk next to it.
    const box = page.getByLabel(/Keep passwords, Wi-Fi keys and environment secrets in the stored SOAP messages/)
    await box.waitFor()
    expect(await box.isChecked()).toBe(false)
    expect(await box.getAttribute('data-testid')).toBe('settings-keep-secrets')
    await expect
      .poll(() => page.locator('#settings-keep-secrets-hint').textContent())
      .toMatch(/anyone who can read the data folder.*synced to NATS or MongoDB stay masked/s)
    expect(await settings.keepSecretsWarning.count()).toBe(0)

    await box.check()
    await settings.keepSecretsWarning.filter({ hasText: 'Secrets will be readable in the event log' }).waitFor()
    await settings.dirty.waitFor()
    // Inside the window at this width.
    const rect = await box.boundingBox()
    expect(rect!.x + rect!.width).toBeLessThanOrEqual(viewport.width)
    await settings.keepSecretsWarning.scrollIntoViewIfNeeded()
    await screenshot(page, `settings-keep-secrets-${size}`)
    await settings.save.click()
    await settings.notes.filter({ hasText: 'Settings saved.' }).waitFor()
    expect(app.bench.config.cwmp.keepSecretsInLog).toBe(true)
    expect(app.bench.store.settings.get<{ cwmp?: object }>(STORED_CONFIG_KEY, {}).cwmp).toMatchObject({
      keepSecretsInLog: true,
    })

    await page.reload()
    await settings.keepSecrets.waitFor()
    expect(await settings.keepSecrets.isChecked()).toBe(true)
    await settings.keepSecretsWarning.waitFor()
    expect(await settings.dirty.count()).toBe(0)

    // Unticked and saved: off again.
    await settings.keepSecrets.uncheck()
    await settings.save.click()
    await settings.dirty.waitFor({ state: 'detached' })
    await expect.poll(() => app.bench.config.cwmp.keepSecretsInLog).toBe(false)
  }, 120_000)
})
