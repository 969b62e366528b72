import { readFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { useBrowser, screenshot, startApp, VIEWPORTS, type App } from './harness'
import { devicePage, devicesPage } from './pages/devices'

const open = useBrowser()
let app: App | undefined
let holder: { server: Server; sockets: Set<Socket> } | undefined
afterEach(async () => {
  for (const s of holder?.sockets ?? []) s.destroy()
  await new Promise((r) => (holder ? holder.server.close(r) : r(null)))
  holder = undefined
  await app?.close()
  app = undefined
})

/** A "CPE" whose connection request port takes the connection and never answers: a reboot of it waits. */
async function silentCpe(): Promise<string> {
  const sockets = new Set<Socket>()
  const server = createServer((s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  holder = { server, sockets }
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

/** A bench with one worker slot (runs queue behind each other) and a fleet of simulated CPEs. */
async function benchWithFleet(n: number) {
  app = await startApp({
    scripts: { maxConcurrentRuns: 1 },
    connectionRequest: { timeoutMs: 120_000, retries: 0 },
  })
  await app.bench.sim.start({ count: n, model: 'tr098', serialPrefix: 'E2E' })
  await expect.poll(() => app!.bench.store.devices.count({ text: 'E2E' }), { timeout: 30_000 }).toBe(n)
  return app
}

describe('bulk work on the device list', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(
      `selects all matching, reboots after a confirmation naming the count, shows progress and stops the rest (${size})`,
      { timeout: 180_000 },
      async () => {
        const app = await benchWithFleet(6)
        const page = await open(`${app.url}#/devices`, { viewport })
        const d = devicesPage(page)
        await d.search.fill('e2e')
        await d.count.filter({ hasText: '6 matching' }).waitFor()
        // Simulated CPEs say so.
        await d.row('E2E000001').getByTestId('sim-mark').waitFor()

        await d.select('E2E000001').check()
        await d.selectionCount.filter({ hasText: '1 selected.' }).waitFor()
        await d.selectAllMatching.filter({ hasText: 'Select all 6 matching this filter' }).click()
        await d.selectionCount.filter({ hasText: 'All 6 matching devices selected.' }).waitFor()
        expect(await d.select('E2E000004').isChecked()).toBe(true)

        // Declined: nothing starts.
        const asked: string[] = []
        page.once('dialog', (dialog) => (asked.push(dialog.message()), void dialog.dismiss()))
        await d.bulkGo.click()
        await expect.poll(() => asked).toEqual(['Reboot 6 devices?'])
        expect(app.bench.scripts.active()).toEqual([])

        page.once('dialog', (dialog) => (asked.push(dialog.message()), void dialog.accept()))
        await d.bulkGo.click()
        await d.bulkNote.filter({ hasText: 'Reboot started on 6 devices.' }).waitFor()
        // The simulated CPEs really reboot, one after another (one worker slot): the batch ends with 6 done.
        await d.batchIn('ended').waitFor({ timeout: 60_000 })
        await d.batchCount('done').filter({ hasText: '6 done' }).waitFor()
        await screenshot(page, `devices-bulk-reboot-done-${size}`)

        // A device that never answers holds the only slot: the rest wait, and "Stop the rest" ends them all.
        const silent = await silentCpe()
        app.bench.store.devices.upsert('AAA-SILENT', { model: 'silent', connectionRequestUrl: silent })
        // Confirmed on its Trust tab, so the ACS knocks (and waits) instead of refusing an unseen device.
        app.bench.acs.setDevicePolicy('AAA-SILENT', { confirmedCrUrl: silent })
        await d.search.fill('')
        await d.count.filter({ hasText: '7 devices' }).waitFor()
        await d.row('AAA-SILENT').waitFor()
        expect(await d.row('AAA-SILENT').getByTestId('sim-mark').count()).toBe(0)
        await d.selectVisible.check()
        await d.selectionCount.filter({ hasText: '7 selected.' }).waitFor()
        page.once('dialog', (dialog) => (asked.push(dialog.message()), void dialog.accept()))
        await d.bulkGo.click()
        await d.batchIn('active').waitFor()
        await d.batchCount('running').filter({ hasText: '1 running' }).waitFor()
        await d.batchCount('queued').filter({ hasText: '6 queued' }).waitFor()
        await screenshot(page, `devices-bulk-reboot-running-${size}`)
        await d.batchStop.filter({ hasText: 'Stop the rest (7)' }).click()
        await d.batchCount('stopped').filter({ hasText: '7 stopped' }).waitFor()
        expect(asked).toEqual(['Reboot 6 devices?', 'Reboot 6 devices?', 'Reboot 7 devices?'])
        expect(app.bench.scripts.active()).toEqual([])
        await screenshot(page, `devices-bulk-reboot-stopped-${size}`)
      },
    )

    it(`tags devices and filters by tag, edits an alias, exports CSV (${size})`, { timeout: 120_000 }, async () => {
      const app = await benchWithFleet(3)
      // A CPE string that would run as a formula in a spreadsheet.
      app.bench.store.devices.upsert('E2E-EVIL', { manufacturer: '=HYPERLINK("http://evil")', model: 'm' })
      const page = await open(`${app.url}#/devices`, { viewport })
      const d = devicesPage(page)
      await d.count.filter({ hasText: '4 devices' }).waitFor()

      await d.select('E2E000001').check()
      await d.select('E2E-EVIL').check()
      await d.bulkAction.selectOption('tag')
      await d.bulkTag.fill('shelf-3')
      const asked: string[] = []
      page.once('dialog', (dialog) => (asked.push(dialog.message()), void dialog.accept()))
      await d.bulkGo.click()
      await d.bulkNote.filter({ hasText: 'Tagged 2 devices "shelf-3".' }).waitFor()
      expect(asked).toEqual(['Tag 2 devices “shelf-3”?'])
      await d.row('E2E000001').getByTestId('device-tags').filter({ hasText: 'shelf-3' }).waitFor()

      await d.tagFilter.selectOption('shelf-3')
      await d.count.filter({ hasText: '2 matching' }).waitFor()
      expect(await d.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-serial')))).toEqual([
        'E2E-EVIL',
        'E2E000001',
      ])
      await screenshot(page, `devices-tag-filter-${size}`)

      // CSV of the filtered list, with the columns shown, downloaded by the browser.
      const [download] = await Promise.all([page.waitForEvent('download'), d.exportCsv.click()])
      const csv = readFileSync((await download.path())!, 'utf8')
      const lines = csv.trimEnd().split('\r\n')
      expect(lines[0]).toBe('serial,tags,vendor,model,software version,ip,status,last inform,provisioning')
      expect(lines).toHaveLength(3)
      expect(lines[1]).toMatch(/^E2E-EVIL,shelf-3,"'=HYPERLINK\(""http:\/\/evil""\)",m,,,offline,/)
      expect(lines[2]).toMatch(/^E2E000001,shelf-3,/)

      // The alias, set on the device page's header, shows in the list and is found by its search.
      await d.tagFilter.selectOption('')
      await d.count.filter({ hasText: '4 devices' }).waitFor()
      await d.row('E2E000001').click()
      const dp = devicePage(page)
      await dp.serial.filter({ hasText: 'E2E000001' }).waitFor()
      await dp.aliasEdit.click()
      await dp.aliasInput.fill('Kitchen router')
      await dp.aliasSave.click()
      await dp.aliasText.filter({ hasText: 'Kitchen router' }).waitFor()
      // The header shows it is simulated, and its tags.
      await page.getByTestId('sim-mark').waitFor()
      expect(await page.getByTestId('device-header-tag').allTextContents()).toEqual(['shelf-3'])
      await screenshot(page, `device-alias-${size}`)
      await page.goBack()
      await d.search.fill('kitchen')
      await d.count.filter({ hasText: '1 matching' }).waitFor()
      await d.row('E2E000001').filter({ hasText: 'Kitchen router' }).waitFor()
    })
  }

  it('selects all 2,000 devices a filter matches, of which the virtual table loaded a few, and tags them', async () => {
    const app = await benchWithFleet(2)
    app.bench.store.transaction(() => {
      for (let i = 0; i < 2000; i++) app.bench.store.devices.upsert(`MANY${String(i).padStart(4, '0')}`, { model: 'm' })
    })
    const page = await open(`${app.url}#/devices`)
    const d = devicesPage(page)
    await d.search.fill('many')
    await d.count.filter({ hasText: '2,000 matching' }).waitFor()
    await d.selectVisible.check()
    const onScreen = Number((await d.selectionCount.textContent())!.split(' ')[0])
    expect(onScreen).toBeGreaterThan(5)
    expect(onScreen).toBeLessThan(200)
    await d.selectAllMatching.filter({ hasText: 'Select all 2,000 matching this filter' }).click()
    await d.bulkAction.selectOption('tag')
    await d.bulkTag.fill('lot-7')
    const asked: string[] = []
    page.once('dialog', (dialog) => (asked.push(dialog.message()), void dialog.accept()))
    await d.bulkGo.click()
    await d.bulkNote.filter({ hasText: 'Tagged 2,000 devices "lot-7".' }).waitFor({ timeout: 30_000 })
    expect(asked).toEqual(['Tag 2,000 devices “lot-7”?'])
    await d.search.fill('')
    await d.tagFilter.selectOption('lot-7')
    await d.count.filter({ hasText: '2,000 matching' }).waitFor()
    expect(app.bench.store.devices.count({ tag: 'lot-7', text: 'E2E' })).toBe(0)
  })

  it('keeps the chosen columns and saved filters across a reload', async () => {
    const app = await benchWithFleet(2)
    app.bench.store.tags.add(['E2E000002'], 'returned')
    const page = await open(`${app.url}#/devices`)
    const d = devicesPage(page)
    await d.count.filter({ hasText: '2 devices' }).waitFor()
    await d.columnChooser.locator('summary').click()
    await d.column('manufacturer').uncheck()
    await d.column('alias').check()
    await page.getByTestId('device-sort-manufacturer').waitFor({ state: 'detached' })

    await d.tagFilter.selectOption('returned')
    await d.count.filter({ hasText: '1 matching' }).waitFor()
    await d.saveFilter.click()
    await d.saveFilterName.fill('Returned units')
    await d.saveFilterSubmit.click()

    await page.reload()
    await d.count.filter({ hasText: '2 devices' }).waitFor()
    expect(await page.getByTestId('device-sort-manufacturer').count()).toBe(0)
    await d.row('E2E000001').getByTestId('device-alias').waitFor()
    await d.savedFilters.selectOption('Returned units')
    await d.count.filter({ hasText: '1 matching' }).waitFor()
    await d.row('E2E000002').waitFor()
    await screenshot(page, 'devices-saved-filter')

    // A profile on the selection: asked with the count, then how its runs end.
    app.bench.profiles.save({
      name: 'label',
      steps: [{ set: { 'InternetGatewayDevice.DeviceInfo.ProvisioningCode': 'BENCH' } }],
    })
    await d.savedFilters.selectOption('')
    await d.count.filter({ hasText: '2 devices' }).waitFor()
    await d.selectVisible.check()
    await d.bulkAction.selectOption('profile')
    await page.getByTestId('bulk-profile').selectOption('label')
    const asked: string[] = []
    page.once('dialog', (dialog) => (asked.push(dialog.message()), void dialog.accept()))
    await d.bulkGo.click()
    await page.locator('[data-testid="profile-batch"][data-state="ended"]').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('profile-batch-counts').textContent()).toBe('2 done')
    expect(asked).toEqual(['Run profile “label” on 2 devices?'])
    await d.row('E2E000001').getByTestId('device-provisioning').filter({ hasText: 'done' }).waitFor()
    await screenshot(page, 'devices-bulk-profile')
  })

  it('stops the rest of a profile started on the selection', { timeout: 120_000 }, async () => {
    const app = await benchWithFleet(3)
    // One CPE sits on the profile's first request; two more wait behind it on the same device list.
    for (const serial of ['E2E000001', 'E2E000002', 'E2E000003'])
      app.bench.sim.cpe(serial)!.setFaults({ answerDelayMs: 60_000 })
    app.bench.profiles.save({
      name: 'slow',
      steps: [{ set: { 'InternetGatewayDevice.DeviceInfo.ProvisioningCode': 'SLOW' } }],
    })
    const page = await open(`${app.url}#/devices`)
    const d = devicesPage(page)
    await d.count.filter({ hasText: '3 devices' }).waitFor()
    await d.selectVisible.check()
    await d.bulkAction.selectOption('profile')
    await page.getByTestId('bulk-profile').selectOption('slow')
    page.once('dialog', (dialog) => void dialog.accept())
    await d.bulkGo.click()
    const stop = page.getByTestId('profile-batch-stop')
    await stop.filter({ hasText: 'Stop the rest (3)' }).waitFor()
    await stop.click()
    await page.locator('[data-testid="profile-batch"][data-state="ended"]').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('profile-batch-counts').textContent()).toBe('3 failed')
    const runs = app.bench.profiles.runs({ profile: 'slow' })
    expect(runs).toHaveLength(3)
    for (const run of runs) expect(run.steps[0]!.detail).toMatch(/stopped by the technician/)
    await screenshot(page, 'devices-bulk-profile-stopped')
  })
})
