import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS } from './harness'

const start = useBench()

/** Inputs, selects and text areas on the page that a screen reader would announce without a name. */
const unlabelled = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
    .filter((el) => !(el.labels && [...el.labels].some((l) => l.textContent.trim())) &&
      !(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby'))
    .map((el) => el.getAttribute('data-testid') || el.outerHTML.slice(0, 120))`) as Promise<string[]>

/** Tables made of divs must say they are tables: rows hold cells or column headers. */
const rolelessTables = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('table')]
    .filter((t) => t.querySelectorAll('th').length === 0 && t.querySelector('thead'))
    .map((t) => t.getAttribute('data-testid') || 'table')`) as Promise<string[]>

describe('every input on the Scripts, Device and Simulator pages has a label', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`names each input and select for assistive technology (${size})`, async () => {
      const { app, serial, page } = await start({ serialPrefix: 'LBL', path: '#/scripts', viewport })
      await page.getByTestId('script-item').first().waitFor()
      await page.getByTestId('script-run').waitFor()
      expect(await unlabelled(page)).toEqual([])
      await page.getByTestId('run-tab-triggers').click()
      await page.getByTestId('run-tab-triggers').and(page.locator('[aria-selected="true"]')).waitFor()
      expect(await unlabelled(page)).toEqual([])

      // The Events tab is the shared event log (renderer/components/EventLog.tsx), labelled with the Events page.
      for (const tab of ['parameters', 'rpcs', 'trust', 'provisioning', 'capabilities', 'check']) {
        await page.goto(`${app.url}#/devices/${serial}/${tab}`)
        await page.getByTestId(`device-tab-${tab}`).and(page.locator('[aria-selected="true"]')).waitFor()
        await page.getByTestId('device-serial').waitFor()
        await page.waitForLoadState('networkidle')
        expect({ tab, missing: await unlabelled(page) }).toEqual({ tab, missing: [] })
        expect(await rolelessTables(page)).toEqual([])
      }
      await page.goto(`${app.url}#/devices/${serial}`)
      await page.getByTestId('action-download').click()
      await page.getByTestId('download-url').waitFor()
      expect(await unlabelled(page)).toEqual([])

      await page.goto(`${app.url}#/simulator`)
      await page.getByTestId('sim-count').waitFor()
      expect(await unlabelled(page)).toEqual([])
      await screenshot(page, `labels-simulator-${size}`)
    })
  }
})
