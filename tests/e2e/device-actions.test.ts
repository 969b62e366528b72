import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { useBrowser, screenshot, startApp, type App } from './harness'
import { devicePage } from './pages/devices'

const open = useBrowser()
let app: App | undefined
let fleet: SimFleet | undefined
afterEach(async () => {
  await fleet?.stop()
  fleet = undefined
  await app?.close()
  app = undefined
})

describe('Device actions (headless mode in Chromium)', () => {
  it('follows a reboot until the device is back, and shows a download the device failed', async () => {
    app = await startApp()
    fleet = await startSimulator({
      acsUrl: app.bench.acs.address!.url,
      count: 1,
      periodicInformInterval: 0,
      serialPrefix: 'ACT',
    })
    const serial = fleet.cpes[0]!.serial
    const page = await open(`${app.url}#/devices/${serial}`)
    page.on('dialog', (dialog) => void dialog.accept())
    const device = devicePage(page)
    await device.serial.waitFor()

    // Accepted is not over: the note waits for the device's "1 BOOT" and then says it is back.
    await device.reboot.click()
    await device
      .actionResultIn('done')
      .filter({ hasText: `${serial} is back` })
      .waitFor()
    expect(await device.actionResult.textContent()).toContain('"1 BOOT"')
    await screenshot(page, 'device-reboot-back')

    // The device cannot fetch the file: its TransferComplete fault shows where the download was sent.
    await device.download.click()
    await device.downloadUrl.fill('http://127.0.0.1:1/firmware.bin')
    await device.downloadSubmit.click()
    await device.actionResultIn('failed').filter({ hasText: '9015' }).waitFor()
    expect(await device.actionResult.textContent()).toContain('download failed')
    await screenshot(page, 'device-download-failed')
  })
})
