import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { testImage } from '../files/helpers'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { devicePage } from './pages/devices'

const start = useBench()

/** The Download form's one Send and one Cancel, both whole inside the window. */
async function actions(page: Page, width: number) {
  const form = page.getByTestId('download-form')
  expect(await form.getByTestId('download-submit').count()).toBe(1)
  expect(await form.getByTestId('download-cancel').count()).toBe(1)
  for (const id of ['download-submit', 'download-cancel']) {
    const box = (await form.getByTestId(id).boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(width)
  }
  return { send: form.getByTestId('download-submit'), cancel: form.getByTestId('download-cancel') }
}

// The device page's Download: the same Send and Cancel whether it sends a URL or a library file.
describe.each(Object.entries(VIEWPORTS))('Download form at %s width', (size, viewport) => {
  it('sends only a complete choice and closes on Cancel, for a URL and for a library file', async () => {
    const { app, page } = await start({ serialPrefix: 'DLF', path: '#/devices/{serial}', viewport })
    const device = devicePage(page)
    const form = page.getByTestId('download-form')

    // Empty library: a URL; Send waits for one the device can fetch.
    await device.download.click()
    await device.downloadUrl.waitFor()
    let { send, cancel } = await actions(page, viewport.width)
    expect(await send.isDisabled()).toBe(true)
    await device.downloadUrl.fill('not a url')
    expect(await send.isDisabled()).toBe(true)
    await device.downloadUrl.fill('http://127.0.0.1:1/firmware.bin')
    expect(await send.isEnabled()).toBe(true)
    await cancel.click()
    await form.waitFor({ state: 'detached' })

    // A file in the library: offered first, Send ready, Cancel closes it the same way.
    await app.bench.files.library.add({ content: testImage('3.1.0', '', 4096), name: 'fw-3.1.0.bin' })
    await device.download.click()
    await page.getByTestId('download-library-file').waitFor()
    ;({ send, cancel } = await actions(page, viewport.width))
    expect(await page.getByTestId('download-library-file').inputValue()).toBe('fw-3.1.0.bin')
    expect(await send.isEnabled()).toBe(true)
    await screenshot(page, `device-download-library-${size}`)
    await cancel.click()
    await form.waitFor({ state: 'detached' })
  })
})
