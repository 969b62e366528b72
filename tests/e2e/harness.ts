import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startSimulator, type SimFleet, type SimOptions } from '../../main/core/sim'
import type { DeepPartial, BenchConfig } from '../../main/core/config'
import { launchBrowser, openPage, startApp, type App, type PageOptions } from './app'

export { ROOT, RESULTS, VIEWPORTS, launchBrowser, openPage, screenshot, startApp } from './app'
export type { App, PageOptions } from './app'

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

export interface Bench1 {
  app: App
  /** The simulated CPEs (already informed once), or none with `count: 0`. */
  fleet: SimFleet | undefined
  /** The first CPE's serial ('' without one). */
  serial: string
  page: Page
  /**
   * Starts more simulated CPEs against the ACS (no periodic informs unless set), e.g. once the page
   * is open; stopped after the test like the first fleet.
   */
  sims(options?: Partial<Omit<SimOptions, 'acsUrl'>>): Promise<SimFleet>
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
  /**
   * Runs on the app before the CPEs start and the page opens (devices in the store, a script…);
   * a path it returns replaces `path` (e.g. '#/scripts/ID' of a script it created).
   */
  prepare?: (app: App) => void | string | Promise<void | string>
}

/**
 * The setup most UI tests share, torn down after each test: one Chromium for the file, a fresh
 * app (core + UI server on a new data folder), a simulated fleet (one CPE by default, no periodic
 * informs) and a page opened at `path`. `start()` may be called once per test.
 */
export function useBench(): (options?: Bench1Options) => Promise<Bench1> {
  const open = useBrowser()
  let app: App | undefined
  const fleets: SimFleet[] = []
  afterEach(async () => {
    for (const f of fleets.splice(0)) await f.stop()
    await app?.close()
    app = undefined
  })
  return async (options = {}) => {
    const started = (app = await startApp(options.config))
    const sims = async (o: Partial<Omit<SimOptions, 'acsUrl'>> = {}) => {
      const f = await startSimulator({ acsUrl: started.bench.acs.address!.url, periodicInformInterval: 0, ...o })
      fleets.push(f)
      return f
    }
    const path = (await options.prepare?.(started)) ?? options.path ?? ''
    const count = options.count ?? 1
    const fleet =
      count > 0 ? await sims({ count, serialPrefix: options.serialPrefix ?? 'E2E', ...options.sim }) : undefined
    const serial = fleet?.cpes[0]?.serial ?? ''
    const page = await open(`${app.url}${path.replace('{serial}', serial)}`, options)
    if (options.acceptDialogs !== false) page.on('dialog', (dialog) => void dialog.accept())
    return { app, fleet, serial, page, sims }
  }
}
