import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { scriptsPage } from './pages/scripts'

const start = useBench()
const KEY = 'e2e-Wifi-Key-31337'

// Scripts → Environments: a customer's Wi-Fi key kept out of the script text, typed once as a
// secret, read by the script as env.WIFI_KEY and printed as •••• — at Electron's minimum width
// and on a full-HD screen.
describe.each([
  ['900', VIEWPORTS.narrow],
  ['1920', VIEWPORTS.wide],
] as const)('Scripts page environments at %s px', (width, viewport) => {
  it('creates an environment with a secret, runs a script that prints it, and shows ••••', async () => {
    const { app, page } = await start({ count: 0, path: '#/scripts', viewport })
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource(
      'print("key: " .. env.WIFI_KEY)\nprint("ssid: " .. env.SSID)\nprint("none: " .. tostring(env.NOPE))\n',
    )
    await s.noProblems.waitFor()

    await s.tab('envs').click()
    await s.envNew.click()
    await s.envName.fill('Customer A')
    await s.envVarNames.nth(0).fill('WIFI_KEY')
    await s.envVarSecrets.nth(0).check()
    await s.envVarValues.nth(0).fill(KEY)
    await s.envVarAdd.click()
    await s.envVarNames.nth(1).fill('SSID')
    await s.envVarValues.nth(1).fill('CustA-5G')
    // Every input is named for assistive technology, and usable at this width.
    for (const input of await page.locator('[data-testid="environments"] input').all()) {
      const label = await input.evaluate(
        (el) => el.getAttribute('aria-label') ?? (el.closest('label')?.textContent ?? '').trim(),
      )
      expect(label).not.toBe('')
    }
    expect((await s.envName.boundingBox())!.width).toBeGreaterThan(120)
    expect((await s.envVarValues.nth(0).boundingBox())!.width).toBeGreaterThan(100)
    await s.envSave.click()
    await s.envNote.filter({ hasText: 'Saved “Customer A”' }).waitFor()
    await s.envItem('Customer A').waitFor()

    // Stored as typed; shown back only as dots (write-only), the plain value as it is.
    expect(app.bench.scripts.environments.forRun('Customer A')?.values).toEqual({ SSID: 'CustA-5G', WIFI_KEY: KEY })
    expect(await s.envVarNames.nth(0).inputValue()).toBe('SSID')
    expect(await s.envVarValues.nth(0).inputValue()).toBe('CustA-5G')
    expect(await s.envVarValues.nth(1).inputValue()).toBe('••••••••')
    expect(await s.envVarValues.nth(1).getAttribute('type')).toBe('password')
    expect(await page.content()).not.toContain(KEY)
    await screenshot(page, `scripts-environments-${width}`)

    await s.runEnv.selectOption('Customer A')
    await s.targetKind.selectOption('none')
    await s.run.click()
    await s.outputLines.filter({ hasText: 'key: ••••' }).waitFor()
    await s.outputLines.filter({ hasText: 'ssid: CustA-5G' }).waitFor()
    await s.outputLines.filter({ hasText: 'none: nil' }).waitFor()
    await page.getByTestId('run-summary-env').filter({ hasText: 'with Customer A' }).waitFor()
    expect(await s.output.textContent()).not.toContain(KEY)
    expect(await page.content()).not.toContain(KEY)
    await screenshot(page, `scripts-environment-run-${width}`)

    // The choice is remembered like the run target.
    await page.reload()
    await s.runEnv.waitFor()
    await expect.poll(() => s.runEnv.inputValue(), { timeout: 10_000 }).toBe('Customer A')
  })
})
