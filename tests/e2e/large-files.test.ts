import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testImage } from '../files/helpers'
import { screenshot, useBench, VIEWPORTS, type App } from './harness'
import { filesPage } from './pages/library'

// Files over the size of one WebSocket message, added from the page in Chromium (headless mode):
// the cap set in Settings, progress while the pieces go, Cancel, and nothing left behind.

const start = useBench()

const MB = 1024 * 1024

/** A file on disk for the page to pick (a path: Chromium reads it itself, no 20 MB through CDP). */
function onDisk(app: App, name: string, content: Buffer): string {
  const dir = join(app.dir, 'picked')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, name), content)
  return join(dir, name)
}

function leftovers(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, 'files')).filter((n) => n.startsWith('.incoming-'))
  } catch {
    return []
  }
}

describe.each(Object.entries(VIEWPORTS))('Large files from the page at %s width', (size, viewport) => {
  it('sets the cap in Settings, adds a 20 MB image with progress, refuses one over the cap, and cancels one', async () => {
    const { app, page } = await start({ count: 0, path: '#/settings', viewport, acceptDialogs: false })
    const maxField = page.getByLabel(/Largest file \(MB/)
    await maxField.fill('25')
    await page.getByTestId('settings-save').click()
    await page.getByTestId('settings-note').filter({ hasText: 'Settings saved.' }).waitFor()
    expect(app.bench.config.files.maxBytes).toBe(25 * MB)

    await page.getByTestId('nav-files').click()
    const files = filesPage(page)
    const image = testImage('5.0.1', 'BM632w', 20 * MB)
    await files.addInput.setInputFiles(onDisk(app, 'fw-5.0.1.bin', image))
    // Progress while the pieces go (20 of them), then the file in the list.
    await page
      .getByTestId('file-add-progress')
      .filter({ hasText: /Adding fw-5\.0\.1\.bin: \d+ %/ })
      .waitFor()
    await files.row('fw-5.0.1.bin').waitFor({ timeout: 120_000 })
    await files.addResult.filter({ hasText: 'Added fw-5.0.1.bin' }).waitFor()
    expect(await files.row('fw-5.0.1.bin').textContent()).toContain('5.0.1')
    expect(app.bench.files.library.get('fw-5.0.1.bin')).toMatchObject({ size: image.length, version: '5.0.1' })
    await screenshot(page, `files-large-added-${size}`)

    // Over the cap: refused before a byte is sent, with what to do.
    await files.addInput.setInputFiles(onDisk(app, 'huge.bin', Buffer.alloc(26 * MB)))
    await files.addResult.filter({ hasText: /takes files up to 26214400 bytes \(setting files\.maxBytes\)/ }).waitFor()
    expect(app.bench.files.library.get('huge.bin')).toBeUndefined()

    // Cancel half way: no file, no temporary.
    await files.addInput.setInputFiles(onDisk(app, 'cancel.bin', Buffer.alloc(24 * MB, 7)))
    await page.getByTestId('file-add-progress').waitFor()
    await page.getByTestId('file-add-cancel').click()
    await files.addResult.filter({ hasText: 'Adding cancel.bin was cancelled; nothing was added.' }).waitFor()
    expect(app.bench.files.library.get('cancel.bin')).toBeUndefined()
    await expect.poll(() => leftovers(app.bench.config.dataDir), { timeout: 30_000 }).toEqual([])
    expect(await files.row('cancel.bin').count()).toBe(0)
  }, 300_000)
})
