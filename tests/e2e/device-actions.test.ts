import { describe, expect, it } from 'vitest'
import { screenshot, useBench } from './harness'
import { devicePage } from './pages/devices'

const start = useBench()

describe('Device actions (headless mode in Chromium)', () => {
  it('follows a reboot until the device is back, and shows a download the device failed', async () => {
    const { serial, page } = await start({ serialPrefix: 'ACT', path: '#/devices/{serial}' })
    const device = devicePage(page)
    await device.serial.waitFor()

    // Accepted is not over: the note waits for the device's "1 BOOT" and then says it is back.
    await device.reboot.click()
    await device
      .actionResultIn('done')
      .filter({ hasText: `${serial} is back` })
      // A reboot is a full session round trip and a new boot: generous on a busy machine.
      .waitFor({ timeout: 30_000 })
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
