import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { testImage } from '../files/helpers'
import { useBrowser, screenshot, startApp, VIEWPORTS, type App } from './harness'
import { devicePage, devicesPage } from './pages/devices'
import { filesPage, profilesPage, provisioningTab } from './pages/library'

const open = useBrowser()
let app: App | undefined
let fleet: SimFleet | undefined
afterEach(async () => {
  await fleet?.stop()
  fleet = undefined
  await app?.close()
  app = undefined
})

const INTERVAL = 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval'

describe.each(Object.entries(VIEWPORTS))(
  'Files and profiles at %s width (headless mode in Chromium)',
  (size, viewport) => {
    it('adds a file from the page, sends it to a simulated CPE and logs its complete fetch', async () => {
      app = await startApp()
      fleet = await startSimulator({
        acsUrl: app.bench.acs.address!.url,
        count: 1,
        periodicInformInterval: 0,
        serialPrefix: 'FIL',
      })
      const serial = fleet.cpes[0]!.serial
      const page = await open(`${app.url}#/files`, { viewport })
      page.on('dialog', (dialog) => void dialog.accept())
      const files = filesPage(page)

      // The version comes from the image's header: the page sends the bytes, the core reads them.
      await files.addInput.setInputFiles({
        name: 'fw-2.0.1.bin',
        mimeType: 'application/octet-stream',
        buffer: testImage('2.0.1', '', 200_000),
      })
      await files.row('fw-2.0.1.bin').waitFor()
      expect(await files.row('fw-2.0.1.bin').textContent()).toContain('2.0.1')
      expect(app.bench.files.library.get('fw-2.0.1.bin')!.size).toBeGreaterThan(200_000)

      // The device page's Download picks the library file; the note follows it to TRANSFER COMPLETE.
      await page.goto(`${app.url}#/devices/${serial}`)
      const device = devicePage(page)
      await device.download.click()
      await page.getByTestId('download-library-file').selectOption('fw-2.0.1.bin')
      await device.downloadSubmit.click()
      await device.actionResultIn('done').filter({ hasText: 'download completed' }).waitFor()

      await files.nav.click()
      await files.fetchRow('fw-2.0.1.bin', 'complete').waitFor()
      expect(await files.fetchRow('fw-2.0.1.bin', 'complete').textContent()).toContain(serial)
      await expect.poll(() => files.row('fw-2.0.1.bin').getByTestId('file-downloads').textContent()).toBe('1')
      await screenshot(page, `files-fetched-${size}`)
    })

    it('saves a profile from JSON (a bad one shows the core error), provisions a CPE that BOOTSTRAPs and shows its steps', async () => {
      app = await startApp()
      const page = await open(`${app.url}#/profiles`, { viewport })
      const profiles = profilesPage(page)
      await profiles.empty.waitFor()

      await profiles.create.click()
      const bad = { name: 'lab', match: { serial: 'PRV*' }, when: { events: ['0 BOOTSTRAP'] }, steps: [{ url: 'x' }] }
      await profiles.json.fill(JSON.stringify(bad))
      await profiles.save.click()
      await profiles.error.filter({ hasText: 'steps[0] has no kind' }).waitFor()
      expect(await profiles.error.textContent()).toContain('Not saved')
      expect(app.bench.profiles.list()).toEqual([])

      const good = { ...bad, steps: [{ set: { [INTERVAL]: 600 } }] }
      await profiles.json.fill(JSON.stringify(good))
      await profiles.save.click()
      await profiles.row('lab').waitFor()
      expect(await profiles.row('lab').textContent()).toContain('serial=PRV*')

      fleet = await startSimulator({
        acsUrl: app.bench.acs.address!.url,
        count: 1,
        periodicInformInterval: 0,
        serialPrefix: 'PRV',
      })
      const cpe = fleet.cpes[0]!
      await expect.poll(() => cpe.get(INTERVAL)).toBe('600')
      await profiles.row('lab').getByTestId('profile-outcomes').filter({ hasText: '1 done' }).waitFor()

      const devices = devicesPage(page)
      await devices.nav.click()
      await devices.row(cpe.serial).getByTestId('device-provisioning').filter({ hasText: 'done' }).waitFor()
      await page.getByTestId('device-provisioning-filter').selectOption('failed')
      await devices.empty.waitFor()
      await page.getByTestId('device-provisioning-filter').selectOption('done')
      await devices.row(cpe.serial).waitFor()
      await screenshot(page, `devices-provisioned-${size}`)

      await devices.row(cpe.serial).click()
      const tab = provisioningTab(page)
      await tab.tab.click()
      await tab.runIn('done').locator('[data-testid="provisioning-step"][data-outcome="applied"]').waitFor()
      expect(await tab.runIn('done').textContent()).toContain('0 BOOTSTRAP')

      // Run again: the value is held now, and the new run says so.
      await tab.again.first().click()
      await page.locator('[data-testid="provisioning-step"][data-outcome="held"]').waitFor()
      await expect.poll(() => tab.runs.count()).toBe(2)
      await screenshot(page, `device-provisioning-${size}`)
    })
  },
)
