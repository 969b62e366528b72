import { describe, expect, it } from 'vitest'
import { screenshot, useBench } from './harness'
import { devicePage } from './pages/devices'

const start = useBench()

describe('connection-request credentials out of the box', () => {
  it('wakes a CPE of `bench-acs sim` with the default settings, and links a 401 to where to fix it', async () => {
    // startApp sets no credentials; startSimulator's defaults are those of `bench-acs sim`.
    const { app, page, sims } = await start({ path: '#/devices/{serial}', acceptDialogs: false })
    const device = devicePage(page)
    await device.serial.waitFor()
    await device.refreshAll.click()
    await device.treeNote.waitFor()
    expect(await device.treeNote.textContent()).not.toMatch(/401/)
    await expect.poll(() => device.parameterRows.count()).toBeGreaterThan(0)
    await screenshot(page, 'credentials-default-refresh')

    // A CPE that wants other credentials: the 401 says where to set them.
    const other = await sims({
      count: 1,
      serialPrefix: 'OTHERCR',
      connectionRequestUsername: 'admin',
      connectionRequestPassword: 'secret',
    })
    const otherSerial = other.cpes[0]!.serial
    await page.goto(`${app.url}#/devices/${otherSerial}`)
    await device.serial.filter({ hasText: otherSerial }).waitFor()
    await device.refreshAll.click()
    await device.credentialsFix.waitFor()
    expect(await device.treeNote.textContent()).toContain('401')
    expect(await device.credentialsFix.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
      ['#/settings', `#/devices/${otherSerial}/trust`],
    )
    await screenshot(page, 'credentials-401-links')
  })
})
