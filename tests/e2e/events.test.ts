// The Events page and the storage display in Chromium against the real app (headless mode), with
// CPEs driven over real HTTP: a session as one expandable row, the serial filter, script names,
// copy buttons, the filter chips, and the Sync page's storage card, at 900 and 1920 px.
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { informXml, ManualCpe } from '../acs/helpers'
import { useBrowser, screenshot, startApp, VIEWPORTS, type App } from './harness'
import { eventsPage } from './pages/events'

const open = useBrowser()
let app: App | undefined
const cpes: ManualCpe[] = []
afterEach(async () => {
  for (const c of cpes.splice(0)) c.close()
  await app?.close()
  app = undefined
})

const IGD = 'InternetGatewayDevice.'

/** A periodic session in which the CPE answers a queued GetParameterValues. */
async function periodicWithRead(a: App, serial: string): Promise<void> {
  const cpe = new ManualCpe(a.bench.acs.address!.url)
  cpes.push(cpe)
  const read = a.bench.acs
    .execute(
      serial,
      { method: 'GetParameterValues', parameterNames: [`${IGD}DeviceInfo.UpTime`] },
      { onUnreachable: 'wait' },
    )
    .catch(() => undefined)
  await expect
    .poll(() => a.bench.acs.rpcs(serial).filter((r) => r.state === 'queued').length, { timeout: 10_000 })
    .toBe(1)
  expect((await cpe.post(informXml({ serial, events: ['2 PERIODIC'] }))).status).toBe(200)
  const gpv = await cpe.post(null)
  expect(gpv.envelope?.body?.method).toBe('GetParameterValues')
  const done = await cpe.post(
    {
      method: 'GetParameterValuesResponse',
      parameterList: [{ name: `${IGD}DeviceInfo.UpTime`, value: '4242', type: 'xsd:unsignedInt' }],
    },
    gpv.envelope!.header.id,
  )
  expect(done.status).toBe(204)
  await read
}

async function plainSession(a: App, serial: string, events: string[]): Promise<void> {
  const cpe = new ManualCpe(a.bench.acs.address!.url)
  cpes.push(cpe)
  expect((await cpe.post(informXml({ serial, events }))).status).toBe(200)
  expect((await cpe.post(null)).status).toBe(204)
}

/** The page's window as the callbacks below use it (the tests are typechecked without the DOM library). */
type Css = { getComputedStyle(el: unknown): { backgroundColor: string; color: string } }

/** WCAG contrast ratio of two rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

async function clipboard(page: Page): Promise<string> {
  return page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  )
}

describe('Events: sessions, filters, names and copies', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`groups a session into one row that opens on its messages, filters serials by any-case substring, names scripts (${size})`, async () => {
      app = await startApp({ cwmp: { discoverOnBootstrap: false } })
      const a = app
      await plainSession(a, 'Bench-AbC-01', ['1 BOOT'])
      await periodicWithRead(a, 'Bench-AbC-01')
      await plainSession(a, 'OTHER-9', ['2 PERIODIC'])
      const page = await open(`${a.url}#/events`, { viewport })
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(a.url).origin })
      const log = eventsPage(page)

      // The periodic session with its RPC is one row, closed; it opens on each of its messages.
      const group = log.groupOf('Bench-AbC-01').filter({ hasText: '1 RPC' })
      await group.waitFor()
      expect(await group.getAttribute('aria-expanded')).toBe('false')
      expect(await group.getByTestId('event-group-size').textContent()).toBe('6 messages')
      await group.getByTestId('event-group-toggle').click()
      await expect.poll(() => group.getAttribute('aria-expanded')).toBe('true')
      await expect
        .poll(() => log.messages.evaluateAll((els) => els.map((e) => e.getAttribute('data-method'))))
        .toEqual([
          'Inform',
          'InformResponse',
          '(empty)',
          'GetParameterValues',
          'GetParameterValuesResponse',
          '(204 No Content)',
        ])
      await log.message('GetParameterValuesResponse').click()
      await log.messageSoap.waitFor()
      expect(await log.messageSoap.textContent()).toContain('4242')
      await screenshot(page, `events-session-open-${size}`)

      // Copying the SOAP body: the button says so and the clipboard holds the body.
      await log.messageSoapCopy.click()
      await expect.poll(() => log.messageSoapCopy.textContent()).toBe('Copied')
      expect(await clipboard(page)).toContain('<Value xsi:type="xsd:unsignedInt">4242</Value>')
      await log.message('Inform').click()
      await log.messageSoap.filter({ hasText: 'Bench-AbC-01' }).waitFor()

      // The BOOT session keeps its rows: opening its group lists them (inform, event code, end).
      const boot = log.groupOf('Bench-AbC-01').filter({ hasText: '1 BOOT' })
      await boot.getByTestId('event-group-toggle').click()
      await expect
        .poll(() => log.members.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))
        .toEqual(['inform', 'cwmp-event', 'session'])

      // The serial filter: any part, any case.
      await log.serialFilter.fill('abc-0')
      await log.count.filter({ hasText: 'matching' }).waitFor()
      await expect.poll(() => log.groupOf('OTHER-9').count()).toBe(0)
      expect(await log.groupOf('Bench-AbC-01').count()).toBeGreaterThanOrEqual(2)
      await screenshot(page, `events-serial-filter-${size}`)
      await log.serialFilter.fill('')

      // The selected kind chip is pressed and filled, white on the accent.
      const chip = log.kindChip('session')
      expect(await chip.getAttribute('aria-pressed')).toBe('false')
      const idle = await chip.evaluate((el) => (globalThis as unknown as Css).getComputedStyle(el).backgroundColor)
      await chip.click()
      await expect.poll(() => chip.getAttribute('aria-pressed')).toBe('true')
      await page.mouse.move(0, 0)
      const on = await chip.evaluate((el) => {
        const style = (globalThis as unknown as Css).getComputedStyle(el)
        return [style.backgroundColor, style.color] as const
      })
      expect(on[0]).not.toBe(idle)
      expect(contrast(on[0], on[1])).toBeGreaterThanOrEqual(4.5)
      await log.onlyKind('session')
      await screenshot(page, `events-chip-on-${size}`)
      await chip.click()

      // A script's row names the script, by its name now: renamed, then deleted.
      const script = a.bench.scripts.create({ name: 'Line check e2e', source: 'print("line ok")' })
      const [run] = a.bench.scripts.run(script.id)
      await expect.poll(() => a.bench.scripts.getRun(run!.id)?.status, { timeout: 20_000 }).toBe('ok')
      const scriptRow = log.rowsOfKind('script').filter({ hasText: 'finished' })
      const showSource = async () => {
        // Closed and opened again: the name is read when the row is shown.
        if (await log.detail.isVisible()) await page.getByTestId('event-detail-close').click()
        await log.detail.waitFor({ state: 'detached' })
        await scriptRow.first().click({ position: { x: 30, y: 12 } })
        await log.source.waitFor()
      }
      await showSource()
      await expect.poll(() => log.source.textContent()).toBe('script "Line check e2e"')
      a.bench.scripts.update(script.id, { name: 'Line check renamed' })
      await showSource()
      await expect.poll(() => log.source.textContent()).toBe('script "Line check renamed"')
      a.bench.scripts.remove(script.id)
      await showSource()
      await expect.poll(() => log.source.textContent()).toBe('deleted script (was "Line check e2e")')
      await screenshot(page, `events-script-source-${size}`)

      // The ACS URL in the sidebar: on one line, whole, with a copy button.
      const url = page.getByTestId('sidebar-acs-url')
      expect(await url.textContent()).toBe(a.bench.acs.address!.urls[0])
      // Not cut (the whole URL is shown), and host and port on one line (one box): a narrow
      // column may break it after "http://" only.
      expect(await url.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
      const hostPort = page.getByTestId('sidebar-acs-hostport')
      expect(await hostPort.textContent()).toBe(a.bench.acs.address!.urls[0]!.replace(/^https?:\/\//, ''))
      expect(await hostPort.evaluate((el) => el.getClientRects().length)).toBe(1)
      await page.getByTestId('acs-url-copy').click()
      await expect.poll(() => page.getByTestId('acs-url-copy').textContent()).toBe('Copied')
      expect(await clipboard(page)).toBe(a.bench.acs.address!.urls[0])
      await screenshot(page, `events-sidebar-url-${size}`)
    })
  }
})

describe('Sync page: storage', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`shows the database size, its cap, what retention deleted, and says when unsent rows hold it over the cap (${size})`, async () => {
      // A cap of 1 MB that rows only an unreachable sync target is owed keep the database over.
      app = await startApp({ retention: { maxMb: 1, keepMinutes: 0 } })
      const a = app
      a.bench.store.transaction(() => {
        for (let i = 0; i < 400; i++)
          a.bench.store.events.append({
            kind: 'rpc',
            serial: 'OLD',
            summary: `old ${i}`,
            // Past the 30 days events are kept: the event rows go; their outbox rows (with this
            // detail) are owed to the sync target and stay.
            detail: { blob: randomBytes(3000).toString('base64') },
            ts: Date.now() - 40 * 86_400_000,
          })
      })
      await a.bench.sync.configure({ nats: { url: 'nats://127.0.0.1:1', enabled: true } })
      await a.bench.retention.pass()
      const page = await open(`${a.url}#/sync`, { viewport })
      const card = page.getByTestId('sync-storage')
      await card.waitFor()
      await expect.poll(() => page.getByTestId('storage-size').textContent()).toMatch(/^\d+(\.\d)? MB$/)
      expect(await page.getByTestId('storage-cap').textContent()).toContain('1.0 MB')
      await expect.poll(() => page.getByTestId('storage-last-pass').textContent()).toMatch(/\d+ events/)
      const blocked = page.getByTestId('storage-blocked')
      await blocked.waitFor()
      expect(await blocked.textContent()).toMatch(/not yet acknowledged by a sync target/)
      expect(await blocked.textContent()).toMatch(/What to do: bring a sync target below back/)
      await screenshot(page, `sync-storage-${size}`)
      await page.getByTestId('storage-settings-link').click()
      await page.getByTestId('settings-retention').waitFor()
      expect(await page.getByTestId('settings-retention-maxMb').inputValue()).toBe('1')
      await screenshot(page, `settings-retention-${size}`)
    })
  }
})
