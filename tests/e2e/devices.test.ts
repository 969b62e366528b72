import { describe, expect, it } from 'vitest'
import { screenshot, useBench } from './harness'
import { devicePage, devicesPage, parameterRow } from './pages/devices'
import { eventsPage } from './pages/events'

const start = useBench()

describe('Devices (headless mode in Chromium)', () => {
  it('shows a CPE that informs, live, then reads and sets its parameters', async () => {
    const { app, page, sims } = await start({ count: 0, acceptDialogs: false })
    const list = devicesPage(page)
    await list.empty.waitFor()
    expect(await list.empty.textContent()).toContain(app.bench.acs.address!.urls[0])

    // One simulated CPE, once the page shows the empty list; resolves when its BOOTSTRAP session has ended.
    const fleet = await sims({ count: 1, serialPrefix: 'E2E' })
    const serial = fleet.cpes[0]!.serial
    // No reload: the row arrives over the live stream once the Inform is stored.
    await list.row(serial).waitFor({ timeout: 1000 })
    expect(await list.row(serial).textContent()).toContain('Huawei')
    await screenshot(page, 'devices-live')

    await list.row(serial).click()
    const device = devicePage(page)
    await device.serial.waitFor()
    expect(await device.serial.textContent()).toBe(serial)

    // Only what the Inform and discovery stored is searchable yet: the page says how to read the rest.
    await device.parameterSearch.fill('SSID')
    await device.searchEmpty.filter({ hasText: 'Refresh all from device' }).waitFor()

    // Read the whole tree from the CPE (GetParameterNames + GetParameterValues), then edit a value.
    await device.refreshAll.click()
    await device.treeNote.filter({ hasText: /^Refreshed InternetGatewayDevice\./ }).waitFor()
    const name = 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval'
    await device.parameterSearch.fill('PeriodicInformInterval')
    const row = parameterRow(device.parameter(name))
    await row.edit.click()
    await row.input.fill('ten')
    await row.invalid.waitFor()
    expect(await row.apply.isDisabled()).toBe(true)
    await row.input.fill('600')
    await row.apply.click()
    await row.note.filter({ hasText: 'applied' }).waitFor()
    // The value the device took shows with its "applied" (not the old one until the store catches up).
    expect(await row.value.textContent()).toBe('600')
    // Confirmed on the CPE itself, not only in our store.
    expect(fleet.cpes[0]!.get(name)).toBe('600')
    await screenshot(page, 'device-parameter-set')

    // A value the device refuses: its answer shows under the value, which stays open to fix.
    const url = 'InternetGatewayDevice.ManagementServer.URL'
    await device.parameterSearch.fill('ManagementServer.URL')
    const urlRow = parameterRow(device.parameter(url))
    const before = fleet.cpes[0]!.get(url)
    await urlRow.edit.click()
    await urlRow.input.fill('ftp://nowhere.example/')
    await urlRow.apply.click()
    await urlRow.refused.filter({ hasText: '9007' }).waitFor()
    expect(await urlRow.input.inputValue()).toBe('ftp://nowhere.example/')
    expect(fleet.cpes[0]!.get(url)).toBe(before)
    await screenshot(page, 'device-parameter-refused')
  })

  it('logs the session in the event log, which filters by kind and device', async () => {
    const { serial, page } = await start({ path: '#/events', acceptDialogs: false })
    const log = eventsPage(page)
    await log.rowsOfKind('session').first().waitFor()

    await log.kindChip('session').click()
    await log.onlyKind('session')
    await log.kindChip('session').click()

    await log.serialFilter.fill('NO-SUCH-DEVICE')
    await log.empty.waitFor()
    await log.serialFilter.fill(serial)
    await log.rows.first().waitFor()

    // The Inform's detail pane shows the SOAP the CPE sent.
    await log.search.fill('Inform from')
    await log.count.filter({ hasText: /^1 matching/ }).waitFor()
    await log.rows
      .filter({ hasText: `Inform from ${serial}` })
      .first()
      .click()
    await log.detail.waitFor()
    await log.soapIn.waitFor()
    expect(await log.soapIn.textContent()).toContain(serial)
    await screenshot(page, 'events-filtered')

    // From the keyboard, as in Wireshark: arrows move the selection (the detail follows), Esc closes.
    // The BOOTSTRAP session's rows are one line: → opens it, and the arrows go through its rows.
    await log.search.fill('')
    await log.groupOf(serial).first().waitFor()
    // On the time, not the serial (a link to the device).
    await log
      .groupOf(serial)
      .first()
      .click({ position: { x: 30, y: 12 } })
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => log.groupOf(serial).first().getAttribute('aria-expanded')).toBe('true')
    await log.members.nth(1).waitFor()
    const selectedMember = page.locator('[data-testid="event-member"][aria-selected="true"]')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => selectedMember.count()).toBe(1)
    const first = await selectedMember.getAttribute('data-seq')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => selectedMember.getAttribute('data-seq')).not.toBe(first)
    expect(Number(await selectedMember.getAttribute('data-seq'))).toBeGreaterThan(Number(first))
    await page.keyboard.press('Escape')
    await log.detail.waitFor({ state: 'detached' })
  })
})
