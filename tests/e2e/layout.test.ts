import { describe, expect, it } from 'vitest'
import type { Locator } from 'playwright-core'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { devicesPage } from './pages/devices'
import { eventsPage } from './pages/events'
import { scriptsPage } from './pages/scripts'

const start = useBench()

const SORTS = ['serial', 'manufacturer', 'model', 'softwareVersion', 'ip', 'status', 'lastInform']

async function box(locator: Locator) {
  const b = await locator.boundingBox()
  if (!b) throw new Error('not visible')
  return b
}

/** Left edges of the header's columns and of the first row's cells. */
async function columnEdges(page: Parameters<typeof devicesPage>[0]) {
  const head = await Promise.all(SORTS.map(async (s) => (await box(page.getByTestId(`device-sort-${s}`))).x))
  const row = page.getByTestId('device-row').first()
  const cells = await Promise.all(SORTS.map(async (s) => (await box(row.locator(`[data-col="${s}"]`))).x))
  return { head, row: cells }
}

describe('the layout from 900 px (Electron’s minimum) to 1920 px', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`keeps the device table's header over its columns, inputs usable and the page wide (${size})`, async () => {
      const { app, page } = await start({
        count: 0,
        path: '#/devices',
        viewport,
        acceptDialogs: false,
        prepare: ({ bench }) =>
          bench.store.transaction(() => {
            for (let i = 0; i < 40; i++)
              bench.store.devices.upsert(`LAYOUT-SERIAL-${String(i).padStart(4, '0')}`, {
                manufacturer: 'A vendor with a long name',
                model: 'Model 1234',
                softwareVersion: '1.2.3-build.4567',
                ip: '192.168.100.200',
              })
          }),
      })
      const bench = app.bench
      const d = devicesPage(page)
      await d.rows.first().waitFor()

      // The sidebar gives the page its width when the window is narrow: a bar above it.
      const content = await box(page.locator('main.content'))
      if (size === 'narrow') expect(content.x).toBeLessThan(10)
      else expect(content.x).toBeGreaterThan(150)

      // Header and rows share their columns, even scrolled sideways as far as they go.
      const table = page.getByTestId('device-table')
      let edges = await columnEdges(page)
      for (let i = 0; i < SORTS.length; i++) expect(Math.abs(edges.head[i]! - edges.row[i]!)).toBeLessThan(1.5)
      await table.evaluate((el) => (el.scrollLeft = el.scrollWidth))
      edges = await columnEdges(page)
      for (let i = 0; i < SORTS.length; i++) expect(Math.abs(edges.head[i]! - edges.row[i]!)).toBeLessThan(1.5)
      // And they fit: no sideways scrolling at all at these widths.
      expect(await table.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1)
      await screenshot(page, `layout-devices-${size}`)

      const e = eventsPage(page)
      await e.nav.click()
      await e.search.waitFor()
      expect((await box(e.search)).width).toBeGreaterThanOrEqual(180)
      expect((await box(e.serialFilter)).width).toBeGreaterThanOrEqual(150)
      await screenshot(page, `layout-events-${size}`)

      const script = bench.scripts.create({ name: 'layout', source: 'print(1)' })
      await page.goto(`${app.url}#/scripts/${script.id}`)
      const s = scriptsPage(page)
      await s.serials.waitFor()
      expect((await box(s.serials)).width).toBeGreaterThanOrEqual(180)
      await screenshot(page, `layout-scripts-${size}`)
    })
  }
})
