import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startAcs } from '../../main/api/services'
import { createBench, type Bench } from '../../main/core/bench'
import type { DeepPartial, BenchConfig } from '../../main/core/config'
import { startSimulator, type SimFleet, type SimOptions } from '../../main/core/sim'
import { startHeadlessUi } from '../../main/ui-server'

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const RESULTS = join(ROOT, 'test-results')

export interface App {
  bench: Bench
  url: string
  dir: string
  /** Stops the UI server (the page loses its connection; the core keeps running). */
  stopUi(): Promise<void>
  /** Starts the UI server again on the same port. */
  startUi(): Promise<void>
  close(): Promise<void>
}

/** The headless mode in-process: a real core on a fresh data folder, the built UI on port 0. */
export async function startApp(overrides: DeepPartial<BenchConfig> = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'))
  const bench = await createBench(
    {
      dataDir: dir,
      // No connection-request credentials here: the bench's defaults must match its simulator's.
      ...overrides,
      cwmp: { port: 0, bind: '127.0.0.1', ...overrides.cwmp },
    },
    { log: () => {} },
  )
  const acsStartError = await startAcs(bench, () => {})
  const start = (port?: number) =>
    startHeadlessUi(bench, { rendererDir: join(ROOT, 'out', 'renderer'), version: 'test', acsStartError, port })
  let ui: Awaited<ReturnType<typeof start>> | null = await start()
  const port = ui.server.port
  return {
    bench,
    url: ui.server.url,
    dir,
    async stopUi() {
      await ui?.close()
      ui = null
    },
    async startUi() {
      ui ??= await start(port)
    },
    async close() {
      await ui?.close()
      await bench.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/**
 * One Chromium for the whole test file (launched before its tests, closed after them); returns
 * the function that opens a fresh page at a URL in it.
 */
export function useBrowser(): (url: string, options?: PageOptions) => Promise<Page> {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return (url, options) => openPage(browser!, url, options)
}

export interface PageOptions {
  /** Window size; default 1360×860. Electron's minimum width is 900 (main/electron/window.ts). */
  viewport?: { width: number; height: number }
}

/** The widths the layout must work at: Electron's minimum window and a full-HD screen. */
export const VIEWPORTS = {
  narrow: { width: 900, height: 700 },
  wide: { width: 1920, height: 1080 },
} as const

export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1360, height: 860 },
    acceptDownloads: true,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  page.on('pageerror', (error) => console.error('[page error]', error.message))
  await page.goto(url)
  return page
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true })
  await page.screenshot({ path: join(RESULTS, `${name}.png`) })
}

export interface Bench1 {
  app: App
  /** The simulated CPEs (already informed once), or none with `count: 0`. */
  fleet: SimFleet | undefined
  /** The first CPE's serial ('' without one). */
  serial: string
  page: Page
}

export interface Bench1Options extends PageOptions {
  config?: DeepPartial<BenchConfig>
  /** Simulated CPEs to start against the ACS; default 1 (0: none). */
  count?: number
  serialPrefix?: string
  sim?: Partial<Omit<SimOptions, 'acsUrl' | 'count' | 'serialPrefix'>>
  /** Where the page opens, after the app's URL: '#/devices/SERIAL' etc.; `{serial}` is replaced. */
  path?: string
  /** Accept every confirm()/alert() the page opens (reboot, remove, …); default true. */
  acceptDialogs?: boolean
}

/**
 * The setup most UI tests share, torn down after each test: one Chromium for the file, a fresh
 * app (core + UI server on a new data folder), a simulated fleet (one CPE by default, no periodic
 * informs) and a page opened at `path`. `start()` may be called once per test.
 */
export function useBench(): (options?: Bench1Options) => Promise<Bench1> {
  const open = useBrowser()
  let app: App | undefined
  let fleet: SimFleet | undefined
  afterEach(async () => {
    await fleet?.stop()
    fleet = undefined
    await app?.close()
    app = undefined
  })
  return async (options = {}) => {
    app = await startApp(options.config)
    const count = options.count ?? 1
    if (count > 0)
      fleet = await startSimulator({
        acsUrl: app.bench.acs.address!.url,
        count,
        periodicInformInterval: 0,
        serialPrefix: options.serialPrefix ?? 'E2E',
        ...options.sim,
      })
    const serial = fleet?.cpes[0]?.serial ?? ''
    const page = await open(`${app.url}${(options.path ?? '').replace('{serial}', serial)}`, options)
    if (options.acceptDialogs !== false) page.on('dialog', (dialog) => void dialog.accept())
    return { app, fleet, serial, page }
  }
}
