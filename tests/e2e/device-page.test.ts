import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { devicePage, devicesPage } from './pages/devices'
import { parameterTree } from './pages/parameter-tree'

const start = useBench()

const ROOT = 'InternetGatewayDevice.'
const TELNET = 'InternetGatewayDevice.DeviceInfo.X_HUAWEI_ServiceManage.TelnetEnable'
const DEVICE_INFO = 'InternetGatewayDevice.DeviceInfo.'

/** The computed CSS opacity of the element and its ancestors, multiplied: what the eye gets. */
const seenOpacity = (page: import('playwright-core').Page, selector: string) =>
  page.evaluate(`(() => {
    let o = 1
    for (let el = document.querySelector(${JSON.stringify(selector)}); el; el = el.parentElement)
      o *= Number(getComputedStyle(el).opacity)
    return o
  })()`) as Promise<number>

describe('Device page: booleans, object actions, subtree refresh, a danger zone apart', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`edits a boolean with a switch and refreshes one subtree, saying when values were read (${size})`, async () => {
      const { fleet, page } = await start({ serialPrefix: 'DEV', path: '#/devices/{serial}', viewport })
      const cpe = fleet!.cpes[0]!
      const device = devicePage(page)
      const t = parameterTree(page)
      await device.refreshAll.click()
      // The whole tree is about 1,000 names: generous on a busy machine.
      await device.treeNote.filter({ hasText: /^Refreshed InternetGatewayDevice\./ }).waitFor({ timeout: 30_000 })

      // xsd:boolean: a switch (role switch, labelled), sent as soon as it is flipped.
      await device.parameterSearch.fill('TelnetEnable')
      const telnet = t.switchOf(TELNET)
      await telnet.waitFor()
      expect(cpe.get(TELNET)).toBe('true')
      expect(await telnet.isChecked()).toBe(true)
      expect(await telnet.getAttribute('aria-label')).toContain('TelnetEnable')
      await telnet.uncheck()
      await expect.poll(() => cpe.get(TELNET), { timeout: 15_000 }).toBe('false')
      await t
        .valueOf(TELNET)
        .filter({ hasText: /^false$/ })
        .waitFor()
      expect(await telnet.isChecked()).toBe(false)
      await screenshot(page, `device-boolean-switch-${size}`)

      // Object actions show without a pointer over the row; "refresh" reads that subtree only.
      await device.parameterSearch.fill('')
      const refresh = t.refreshOf(DEVICE_INFO)
      await refresh.waitFor()
      await page.mouse.move(0, 0)
      expect(await seenOpacity(page, `[data-name="${DEVICE_INFO}"] [data-testid="parameter-refresh"]`)).toBe(1)
      await refresh.click()
      await t.noteOf(DEVICE_INFO).filter({ hasText: '✓' }).waitFor({ timeout: 30_000 })
      // Each row says when its value was last read.
      await t.readOf(DEVICE_INFO).filter({ hasText: 'just now' }).waitFor()
      expect(await t.readOf(DEVICE_INFO).getAttribute('title')).toMatch(/^Last read from the device: /)
      await screenshot(page, `device-subtree-refresh-${size}`)
    })
  }

  it('keeps "Remove from list" in a danger zone away from Factory reset', async () => {
    const { app, serial, page } = await start({ serialPrefix: 'RMV', path: '#/devices/{serial}' })
    const t = parameterTree(page)
    await t.factoryReset.waitFor()
    // Not in the same group of actions as Factory reset, and well apart on screen.
    expect(await t.dangerZone.locator('[data-testid="action-factory-reset"]').count()).toBe(0)
    await t.dangerZone.locator('[data-testid="action-remove"]').waitFor()
    const reset = (await t.factoryReset.boundingBox())!
    const remove = (await t.remove.boundingBox())!
    expect(Math.hypot(remove.x - reset.x, remove.y - reset.y)).toBeGreaterThan(150)
    await screenshot(page, 'device-danger-zone')
    await t.remove.click()
    await devicesPage(page).empty.waitFor()
    expect(app.bench.store.devices.get(serial)).toBeFalsy()
  })

  it('moves through the parameter tree with the arrow keys (treeitems, aria-expanded)', async () => {
    const { page } = await start({ serialPrefix: 'KEY', path: '#/devices/{serial}' })
    const device = devicePage(page)
    const t = parameterTree(page)
    await device.refreshAll.click()
    await device.treeNote.filter({ hasText: /^Refreshed/ }).waitFor({ timeout: 30_000 })
    await t.item(ROOT).waitFor()
    expect(await t.tree.getAttribute('aria-label')).toContain('Parameters of')
    expect(await t.item(ROOT).getAttribute('aria-expanded')).toBe('true')

    // Tab from the search: Refresh all, then the tree (one tab stop, on its first row).
    await device.parameterSearch.focus()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await t.focused.and(t.item(ROOT)).waitFor()
    // Left closes the open object, Right opens it again, Right once more enters it.
    await page.keyboard.press('ArrowLeft')
    await page.locator(`[role="treeitem"][data-name="${ROOT}"][aria-expanded="false"]`).waitFor()
    expect(await page.getByRole('treeitem').count()).toBe(1)
    await page.keyboard.press('ArrowRight')
    await page.locator(`[role="treeitem"][data-name="${ROOT}"][aria-expanded="true"]`).waitFor()
    await page.keyboard.press('ArrowRight')
    const first = page.getByRole('treeitem').nth(1)
    const firstName = (await first.getAttribute('data-name'))!
    await t.focused.and(t.item(firstName)).waitFor()
    expect(await first.getAttribute('aria-level')).toBe('2')
    // Down moves to the next row; Up back; Left from a closed child goes to its parent.
    await page.keyboard.press('ArrowDown')
    const secondName = (await page.getByRole('treeitem').nth(2).getAttribute('data-name'))!
    await t.focused.and(t.item(secondName)).waitFor()
    await page.keyboard.press('ArrowUp')
    await t.focused.and(t.item(firstName)).waitFor()
    if ((await first.getAttribute('aria-expanded')) === 'true') await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await t.focused.and(t.item(ROOT)).waitFor()
    // Down into DeviceInfo. and open it with Right.
    for (let i = 0; i < 20; i++) {
      if ((await t.focused.getAttribute('data-name')) === DEVICE_INFO) break
      await page.keyboard.press('ArrowDown')
    }
    await t.focused.and(t.item(DEVICE_INFO)).waitFor()
    await page.keyboard.press('ArrowRight')
    await page.locator(`[role="treeitem"][data-name="${DEVICE_INFO}"][aria-expanded="true"]`).waitFor()
    // Its children come from the server (one level at a time): Down moves into them once they are there.
    await page.locator('[role="treeitem"][aria-level="3"]').first().waitFor()
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => t.focused.getAttribute('aria-level'), { timeout: 30_000 }).toBe('3')
    await screenshot(page, 'device-tree-keyboard')
  })
})
