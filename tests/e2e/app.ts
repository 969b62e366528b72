import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startAcs } from '../../main/api/services'
import { createBench, type Bench } from '../../main/core/bench'
import type { DeepPartial, BenchConfig } from '../../main/core/config'
import { startHeadlessUi } from '../../main/ui-server'

// The real app and a real Chromium, without vitest: harness.ts (the e2e tests) and
// scripts/ui-screenshots.ts (docs/images) both start them from here.

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
export async function startApp(
  overrides: DeepPartial<BenchConfig> = {},
  options: { /** What the page's footer shows as the version. */ version?: string } = {},
): Promise<App> {
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
    startHeadlessUi(bench, {
      rendererDir: join(ROOT, 'out', 'renderer'),
      version: options.version ?? 'test',
      acsStartError,
      port,
    })
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
