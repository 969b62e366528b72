import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { appShell } from './pages/app'
import { devicePage, devicesPage } from './pages/devices'
import { scriptsPage } from './pages/scripts'

const start = useBench()

/** WCAG contrast ratio of two CSS "rgb(…)" colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

interface Looks {
  color: string
  fontStyle: string
  background: string
  placeholderColor: string
  placeholderStyle: string
}

/** The colour and style of an input's typed text and of its placeholder, against its background. */
function looks(page: Page, testId: string): Promise<Looks> {
  return page.evaluate(`(() => {
    const el = document.querySelector('[data-testid="${testId}"]')
    const text = getComputedStyle(el)
    const placeholder = getComputedStyle(el, '::placeholder')
    return {
      color: text.color,
      fontStyle: text.fontStyle,
      background: text.backgroundColor,
      placeholderColor: placeholder.color,
      placeholderStyle: placeholder.fontStyle,
    }
  })()`) as Promise<Looks>
}

describe('typed values and placeholders look different', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`on Sync and Settings, a typed value is full-contrast text and a placeholder light italic (${size})`, async () => {
      const { page } = await start({ count: 0, path: '#/sync', viewport })
      const typed = page.getByTestId('sync-nats-url')
      await typed.fill('nats://bench.local:4222')
      const value = await looks(page, 'sync-nats-url')
      // A typed value reads as text (AAA contrast), upright; a placeholder is lighter and italic.
      expect(contrast(value.color, value.background)).toBeGreaterThanOrEqual(7)
      expect(value.fontStyle).toBe('normal')
      expect(value.placeholderStyle).toBe('italic')
      expect(contrast(value.placeholderColor, value.background)).toBeLessThan(contrast(value.color, value.background))
      await screenshot(page, `values-sync-${size}`)

      await page.getByTestId('nav-settings').click()
      const bind = page.getByTestId('settings-bind')
      await bind.waitFor()
      expect(await bind.inputValue()).not.toBe('')
      const settings = await looks(page, 'settings-bind')
      expect(contrast(settings.color, settings.background)).toBeGreaterThanOrEqual(7)
      // An empty field shows its placeholder, light and italic: "none", not a value.
      expect(await page.getByTestId('settings-tls-cert').inputValue()).toBe('')
      const empty = await looks(page, 'settings-tls-cert')
      expect(empty.placeholderStyle).toBe('italic')
      expect(contrast(empty.placeholderColor, empty.background)).toBeLessThan(4.5)
      await screenshot(page, `values-settings-${size}`)
    })
  }
})

describe('states while the connection to the server is lost', () => {
  it('shows devices, the ACS and running scripts as unknown until the page has read them again', async () => {
    const { app, fleet, serial, page } = await start({ path: '#/devices', viewport: VIEWPORTS.narrow })
    const shell = appShell(page)
    const list = devicesPage(page)
    const acsState = shell.footer.locator('.acs-state')
    await list.row(serial).waitFor()
    const statusOf = () => list.row(serial).getByTestId('device-status').getAttribute('data-status')
    expect(await statusOf()).not.toBe('unknown')
    expect(await acsState.getAttribute('data-state')).toBe('on')

    await app.stopUi()
    await shell.reconnecting.waitFor()
    await list.row(serial).locator('[data-testid="device-status"][data-status="unknown"]').waitFor()
    expect(await acsState.getAttribute('data-state')).toBe('unknown')
    expect(await shell.footer.textContent()).not.toContain('ACS on port')
    await screenshot(page, 'stale-devices-900')
    // The CPE dies while the page cannot hear about it.
    await fleet!.stop()
    await app.startUi()
    await shell.reconnecting.waitFor({ state: 'detached' })
    await shell.footer.locator('.acs-state[data-state="on"]').waitFor()
    await list.row(serial).locator('[data-testid="device-status"]:not([data-status="unknown"])').waitFor()

    // The device page's badge says the same.
    await page.goto(`${app.url}#/devices/${serial}`)
    const device = devicePage(page)
    await device.serial.waitFor()
    await app.stopUi()
    await page.locator('[data-testid="device-status"][data-status="unknown"]').waitFor()
    await app.startUi()
    await page.locator('[data-testid="device-status"]:not([data-status="unknown"])').waitFor()
  })

  it('shows a listening script run as unknown, then as listening again', async () => {
    const { app, page } = await start({ count: 0, path: '#/scripts', viewport: VIEWPORTS.wide })
    const script = app.bench.scripts.create({ name: 'Listener', source: 'while true do listen_to_cwmp_event() end\n' })
    const [run] = app.bench.scripts.run(script.id, { target: { kind: 'none' } })
    const s = scriptsPage(page)
    await page.goto(`${app.url}#/scripts/${script.id}`)
    await s.summaryIn('listening').waitFor({ timeout: 30_000 })

    await app.stopUi()
    await appShell(page).reconnecting.waitFor()
    await s.summaryIn('unknown').waitFor()
    await screenshot(page, 'stale-run-1920')
    await app.startUi()
    // The page reconnects on its own schedule (backing off while the server was away): allow it.
    await s.summaryIn('listening').waitFor({ timeout: 30_000 })
    app.bench.scripts.stop(run!.id)
    await s.summaryIn('stopped').waitFor({ timeout: 30_000 })
  })
})
