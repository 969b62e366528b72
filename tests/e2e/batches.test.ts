import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS, type PageOptions } from './harness'
import { scriptsPage } from './pages/scripts'

const start = useBench()

/**
 * A bench with `n` devices in its store and a script that sleeps a minute on each, the page open
 * at the script (dialogs left to the test).
 */
async function benchWithDevices(n: number, options: PageOptions = {}) {
  let scriptId = ''
  const { app, page } = await start({
    ...options,
    config: { scripts: { maxConcurrentRuns: 2 } },
    count: 0,
    acceptDialogs: false,
    prepare: ({ bench }) => {
      bench.store.transaction(() => {
        for (let i = 0; i < n; i++) bench.store.devices.upsert(`FLEET${String(i).padStart(3, '0')}`, { model: 'm' })
      })
      scriptId = bench.scripts.create({ name: 'slow one', source: 'sleep(60000)' }).id
      return `#/scripts/${scriptId}`
    },
  })
  return { app, page, scriptId }
}

describe('a run on many devices', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`asks first, naming the count, then shows as one batch that stops as a whole (${size})`, async () => {
      const { app, page } = await benchWithDevices(30, { viewport })
      const s = scriptsPage(page)
      await s.name.filter({ hasText: 'slow one' }).waitFor()
      await s.targetKind.selectOption('all')
      await s.targetKind.locator('option', { hasText: 'all devices (30)' }).waitFor({ state: 'attached' })

      // Declined: nothing starts.
      const asked: string[] = []
      page.once('dialog', (d) => (asked.push(d.message()), void d.dismiss()))
      await s.run.click()
      await expect.poll(() => asked).toEqual(['Run “slow one” on 30 devices? Each device gets its own run.'])
      expect(app.bench.scripts.active()).toEqual([])

      page.once('dialog', (d) => void d.accept())
      await s.run.click()
      await s.stop.waitFor()
      // The same run cannot be started again while it goes.
      expect(await s.run.isDisabled()).toBe(true)

      // The Running tab: one row for the 30 runs, with its counts, not 30 rows with a Stop each.
      await s.tab('listeners').click()
      await s.batchIn('active').waitFor()
      await s.batchCount('running').filter({ hasText: '2 running' }).waitFor()
      await s.batchCount('queued').filter({ hasText: '28 queued' }).waitFor()
      expect(await s.batchRows.count()).toBe(1)
      expect(await s.runRows.count()).toBe(0)
      await screenshot(page, `scripts-batch-running-${size}`)

      await s.batchStop.click()
      await s.batchIn('ended').waitFor()
      await s.batchCount('stopped').filter({ hasText: '30 stopped' }).waitFor()
      expect(app.bench.scripts.active()).toEqual([])
      // Stop next to Run is gone with the run, and Run is back.
      await s.stop.waitFor({ state: 'detached' })
      expect(await s.run.isEnabled()).toBe(true)
      await screenshot(page, `scripts-batch-stopped-${size}`)
    })
  }

  it('stops the whole batch from Stop next to Run', async () => {
    const { app, page, scriptId } = await benchWithDevices(8)
    const s = scriptsPage(page)
    await s.name.filter({ hasText: 'slow one' }).waitFor()
    await s.serials.fill('FLEET000, FLEET001, FLEET002, FLEET003, FLEET004, FLEET005')
    const asked: string[] = []
    page.once('dialog', (d) => (asked.push(d.message()), void d.accept()))
    await s.run.click()
    await s.stop.click()
    await s.summaryIn('finished').waitFor()
    expect(asked).toEqual(['Run “slow one” on 6 devices? Each device gets its own run.'])
    const runs = app.bench.scripts.runs({ scriptId })
    expect(runs).toHaveLength(6)
    expect(runs.every((r) => r.status === 'killed' && r.error?.reason === 'stopped')).toBe(true)
    await screenshot(page, 'scripts-batch-stop-next-to-run')
  })
})
