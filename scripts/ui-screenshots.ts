/**
 * The screenshots in docs/ui.md ("The pages"): the real headless app on a temporary data folder,
 * a small simulated fleet, a little realistic state, each page in Chromium at 1440×900, one PNG
 * per page in docs/images/ui-<page>.png (the viewport, not the full page).
 *
 *   npm run docs:screenshots      (builds the renderer first; or `npx tsx scripts/ui-screenshots.ts`)
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { testImage } from '../tests/files/helpers'
import { ROOT, launchBrowser, openPage, startApp, type App } from '../tests/e2e/app'
import { devicePage, devicesPage } from '../tests/e2e/pages/devices'
import { scriptsPage } from '../tests/e2e/pages/scripts'

const OUT = join(ROOT, 'docs', 'images')
const VIEWPORT = { width: 1440, height: 900 }
const IGD = 'InternetGatewayDevice.'
const SSID = `${IGD}LANDevice.1.WLANConfiguration.1.SSID`
const FLEET = 6
/** Generous: the machine may be busy with a test run. */
const SLOW = { timeout: Number(process.env.UI_SHOTS_TIMEOUT ?? 60_000) }

const SCRIPT = `-- Reads the Wi-Fi name and the firmware of the device the run is on.
local names = {
  "${SSID}",
  "${IGD}DeviceInfo.SoftwareVersion",
}
local values = get_parameter_values(DEVICE, names)
for _, name in ipairs(names) do
  print(name .. " = " .. tostring(values[name]))
end
print("checked " .. DEVICE)
`

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  // A real port (not 0) so that Settings shows what a technician would see.
  const app = await startApp({ cwmp: { port: await freePort() } }, { version })
  let browser: Browser | undefined
  try {
    await seed(app)
    browser = await launchBrowser()
    const open = async (path: string) => {
      const page = await openPage(browser!, `${app.url}${path}`, { viewport: VIEWPORT })
      page.setDefaultTimeout(SLOW.timeout)
      page.on('dialog', (dialog) => void dialog.accept())
      return page
    }
    await shoot(await open('#/devices'), 'devices', devices)
    await shoot(await open(`#/devices/${serialOf(1)}`), 'device', device)
    await shoot(await open('#/events'), 'events', events)
    await shoot(await open('#/scripts'), 'scripts', scripts)
    await shoot(await open('#/profiles'), 'profiles', (p) => p.getByTestId('profile-row').first().waitFor())
    await shoot(await open('#/files'), 'files', (p) => p.getByTestId('file-row').first().waitFor())
    await shoot(await open('#/simulator'), 'simulator', (p) =>
      p
        .getByTestId('sim-status')
        .filter({ hasText: String(FLEET) })
        .first()
        .waitFor(),
    )
    await shoot(await open('#/settings'), 'settings', (p) => p.getByTestId('settings-port').waitFor())
    await shoot(await open('#/sync'), 'sync', (p) => p.getByTestId('sync-state').first().waitFor())
  } finally {
    await browser?.close()
    await app.bench.sim.stop()
    await app.close()
  }
}

const serialOf = (n: number) => `BENCH${String(n).padStart(6, '0')}`

/** A profile, a library file, a fleet that informs (and runs the profile), a script with a finished run. */
async function seed(app: App): Promise<void> {
  const { bench } = app
  bench.profiles.save({
    name: 'bench default',
    description: 'the bench Wi-Fi name and a 10-minute inform interval on every new router',
    match: { productClass: 'BM63*' },
    when: { events: ['0 BOOTSTRAP', '1 BOOT'] },
    steps: [{ set: { [SSID]: 'bench-lab', [`${IGD}ManagementServer.PeriodicInformInterval`]: 600 } }],
  })
  await bench.files.library.add({ content: testImage('2.0.1', 'BM632w'), name: 'fw-2.0.1.bin' })
  await bench.sim.start({ count: FLEET, model: 'tr098', serialPrefix: 'BENCH', periodicInformInterval: 300 })
  await until(() => bench.sim.status().informed >= FLEET, 'the fleet informed')
  await until(() => bench.profiles.runs({}).filter((r) => r.status === 'done').length >= FLEET, 'profiles ran')
  const script = bench.scripts.create({ name: 'Wi-Fi check', source: SCRIPT })
  const [run] = bench.scripts.run(script.id, { target: { kind: 'devices', serials: [serialOf(2)] } })
  await until(() => bench.scripts.getRun(run!.id)?.status === 'ok', 'the script run ended')
}

async function devices(page: Page): Promise<void> {
  const d = devicesPage(page)
  await d.row(serialOf(FLEET)).waitFor()
  await d.select(serialOf(2)).check()
  await d.select(serialOf(3)).check()
  await d.selectionCount.waitFor()
}

async function device(page: Page): Promise<void> {
  const d = devicePage(page)
  await d.refreshAll.click()
  await d.treeNote.filter({ hasText: /^Refreshed/ }).waitFor()
  const info = `${IGD}DeviceInfo.`
  await page.locator(`[role="treeitem"][data-name="${info}"]`).click()
  await page.locator(`[role="treeitem"][data-name="${info}"]`).press('ArrowRight')
  await page.locator(`[role="treeitem"][data-name="${info}"][aria-expanded="true"]`).waitFor()
}

async function events(page: Page): Promise<void> {
  const group = page
    .locator('[data-testid="event-row"][aria-expanded]')
    .filter({ hasText: serialOf(2) })
    .first()
  await group.getByTestId('event-group-toggle').click()
  await page.locator('[data-testid="event-row"][aria-expanded="true"]').first().waitFor()
}

async function scripts(page: Page): Promise<void> {
  const s = scriptsPage(page)
  await s.item('Wi-Fi check').click()
  await s.tab('runs').click()
  await s.runRowWithStatus('done').first().getByTestId('run-open').click()
  await s.outputLines.filter({ hasText: `checked ${serialOf(2)}` }).waitFor()
}

async function shoot(page: Page, name: string, ready: (page: Page) => Promise<void>): Promise<void> {
  await ready(page).catch(async (error: unknown) => {
    await page.screenshot({ path: join(OUT, `ui-${name}.failed.png`) })
    throw error
  })
  const path = join(OUT, `ui-${name}.png`)
  await page.screenshot({ path })
  console.log(`${path}: ${Math.round(statSync(path).size / 1024)} KB`)
  await page.context().close()
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Waits for a condition of the core (checked every 100 ms, up to a minute). */
async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + SLOW.timeout
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}.`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
