/**
 * `bench-acs check` as a real process (the built CLI) against a simulated CPE, and its HTML report
 * opened in real Chromium: readable, every check with its verdict, the SOAP as text.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { checkList } from '../../main/core/check'
import { ROOT, screenshot, startApp, useBrowser, type App } from './harness'
import { devicePage } from './pages/devices'

const open = useBrowser()
const dir = mkdtempSync(join(tmpdir(), 'bench-check-cli-'))
let app: App | undefined
afterAll(async () => {
  await app?.close()
  rmSync(dir, { recursive: true, force: true })
})

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'bench-acs.js'), ...args], { stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('bench-acs check', () => {
  it('checks a simulated TR-098 CPE, prints the report as JSON and writes a readable HTML report', async () => {
    const html = join(dir, 'report.html')
    const run = await cli([
      'check',
      '--sim',
      'tr098',
      '--cwmp-port',
      '0',
      '--bind',
      '127.0.0.1',
      '--json',
      '--html',
      html,
    ])
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout)
    const ids = checkList()
      .filter((c) => !c.destructive)
      .map((c) => c.id)
    expect(report.results.map((r: { id: string }) => r.id)).toEqual(ids)
    expect(report.counts).toEqual({ pass: ids.length, fail: 0, 'not-supported': 0, 'not-observed': 0 })
    expect(run.stderr).toMatch(
      /^PASS {2}Reboot, then an Inform with "1 BOOT" and "M Reboot": Back with 1 BOOT, M Reboot/m,
    )

    const page = await open(pathToFileURL(html).href)
    await expect.poll(() => page.locator('section.check[data-outcome="pass"]').count()).toBe(ids.length)
    expect(await page.locator('h1').textContent()).toBe(`CPE check: ${report.serial}`)
    // The SOAP of a check is there to read, as text.
    const spv = page.locator('section[data-check="spv-parameter-key"]')
    await spv.locator('details summary').first().click()
    expect(await spv.locator('pre').first().textContent()).toMatch(/<soap(-env)?:Envelope/i)
    await screenshot(page, 'check-report')
  })

  it('says how to use it when no device is named', async () => {
    const run = await cli(['check'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^Name one SERIAL, or --sim MODEL\./)
  })

  it('runs from the device page: Check tab, one click, every verdict with its SOAP', async () => {
    app = await startApp()
    // The bench's own fleet (the Simulator page's): the check knows it as ours and may change a
    // value on it as its user would, so "4 VALUE CHANGE" is observed too.
    const { serials } = await app.bench.sim.start({
      count: 1,
      model: 'tr181',
      periodicInformInterval: 0,
      serialPrefix: 'CHK',
    })
    const serial = serials[0]!
    await expect.poll(() => app!.bench.sim.status().informed, { timeout: 30_000 }).toBe(1)
    const page = await open(`${app.url}#/devices/${serial}`)
    const device = devicePage(page)
    await device.serial.waitFor()
    await device.tab('check').click()
    await page.getByTestId('check-run').click()
    const total = checkList().filter((c) => !c.destructive).length
    await page.locator('[data-testid="check-summary"][data-state="passed"]').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('check-summary').textContent()).toMatch(
      new RegExp(`^${total} passed, 0 failed, 0 not supported`),
    )
    await expect.poll(() => page.locator('[data-testid="check-result"][data-outcome="pass"]').count()).toBe(total)
    const reboot = page.locator('[data-testid="check-result"][data-check="reboot"]')
    await reboot.locator('summary').click()
    expect(await reboot.locator('pre').first().textContent()).toContain('Reboot')
    await screenshot(page, 'device-check')
  }, 90_000)
})
