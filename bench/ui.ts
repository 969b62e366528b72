// `npm run bench -- ui`: the Devices and Events pages in Chromium (headless mode) with 10,000
// devices and 100,000 events in the store, against the same pages over 100 devices and 100 events
// in the same run. Time to first rows, and time from a filter change to the filtered rows.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { createBench, type Bench } from '../main/core/bench'
import type { EventKind } from '../main/core/store'
import { startHeadlessUi } from '../main/ui-server'
import type { BenchSuite } from './types'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const RUNS = 5
const KINDS: EventKind[] = ['session', 'inform', 'cwmp-event', 'rpc', 'fault', 'script']

async function seeded(devices: number, events: number): Promise<{ bench: Bench; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ui-'))
  const bench = await createBench({ dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1' } }, { log: () => {} })
  const { store } = bench
  const now = Date.now()
  store.transaction(() => {
    for (let i = 0; i < devices; i++)
      store.devices.upsert(`SIM${String(i).padStart(6, '0')}`, {
        manufacturer: 'Huawei Technologies Co., Ltd.',
        model: i % 3 ? 'BM632w' : 'HG8245H',
        softwareVersion: `V100R00${i % 7}`,
        ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        status: (i % 3) as 0 | 1 | 2,
        lastInform: now - i * 1000,
      })
    for (let i = 0; i < events; i++)
      store.events.append({
        kind: KINDS[i % KINDS.length]!,
        severity: i % 50 === 0 ? 'error' : 'info',
        serial: `SIM${String(i % Math.max(1, devices)).padStart(6, '0')}`,
        summary: `Event ${i}: Inform from a device, 2 PERIODIC`,
        ts: now - (events - i) * 10,
      })
  })
  return { bench, dir }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Milliseconds from navigation to the first rows, and from a filter change to the filtered rows. */
async function measure(page: Page, base: string) {
  const devices = { render: [] as number[], filter: [] as number[] }
  const events = { render: [] as number[], filter: [] as number[], serial: [] as number[] }
  for (let run = 0; run < RUNS; run++) {
    await page.goto('about:blank')
    let t = performance.now()
    await page.goto(`${base}#/devices`)
    await page.getByTestId('device-row').first().waitFor()
    devices.render.push(performance.now() - t)
    t = performance.now()
    await page.getByTestId('device-search').fill(`HG8245H`)
    await page.getByTestId('device-count').filter({ hasText: 'matching' }).waitFor()
    await page.getByTestId('device-row').first().waitFor()
    devices.filter.push(performance.now() - t)

    await page.goto('about:blank')
    t = performance.now()
    await page.goto(`${base}#/events`)
    await page.getByTestId('event-row').first().waitFor()
    events.render.push(performance.now() - t)
    t = performance.now()
    await page.getByTestId('events-kind-fault').click()
    await page.getByTestId('events-count').filter({ hasText: 'matching' }).waitFor()
    await page.locator('[data-testid="event-row"][data-kind="fault"]').first().waitFor()
    events.filter.push(performance.now() - t)

    // The serial filter: any part of it, any case (a LIKE over the events' serial index).
    await page.goto('about:blank')
    await page.goto(`${base}#/events`)
    await page.getByTestId('event-row').first().waitFor()
    t = performance.now()
    await page.getByTestId('events-serial-filter').fill('im00004')
    await page.getByTestId('events-count').filter({ hasText: 'matching' }).waitFor()
    await page.locator('[data-testid="event-row"]').filter({ hasText: 'SIM00004' }).first().waitFor()
    events.serial.push(performance.now() - t)
  }
  return {
    devicesRender: median(devices.render),
    devicesFilter: median(devices.filter),
    eventsRender: median(events.render),
    eventsFilter: median(events.filter),
    eventsSerial: median(events.serial),
  }
}

export const uiSuite: BenchSuite = {
  name: 'ui',
  async run(report) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {}
    try {
      for (const [name, devices, events] of [
        ['small', 100, 100],
        ['large', 10_000, 100_000],
      ] as const) {
        const { bench, dir } = await seeded(devices, events)
        const ui = await startHeadlessUi(bench, { rendererDir: join(ROOT, 'out', 'renderer'), port: 0 })
        try {
          const page = await browser.newPage({ viewport: { width: 1360, height: 860 } })
          results[name] = await measure(page, ui.server.url)
          await page.close()
        } finally {
          await ui.close()
          await bench.close()
          rmSync(dir, { recursive: true, force: true })
        }
      }
    } finally {
      await browser.close()
    }
    const { small, large } = results as Record<'small' | 'large', Awaited<ReturnType<typeof measure>>>
    const line = (name: string, key: keyof typeof small, what: string) =>
      report({
        name: `${name} (10,000 devices, 100,000 events)`,
        value: large[key],
        unit: 'ms',
        baseline: { name: `${name} (100 devices, 100 events)`, value: small[key], unit: 'ms' },
        ratio: {
          value: large[key] / small[key],
          meaning: `${what} with a 100× (devices) / 1000× (events) larger store, relative to a small one`,
          aim: '< 2',
        },
      })
    line('Devices: first rows', 'devicesRender', 'time to first render')
    line('Devices: search', 'devicesFilter', 'time to filtered rows')
    line('Events: first rows', 'eventsRender', 'time to first render')
    line('Events: kind filter', 'eventsFilter', 'time to filtered rows')
    line('Events: serial substring filter', 'eventsSerial', 'time to filtered rows')
  },
}
