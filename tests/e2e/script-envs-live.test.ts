import { expect, it } from 'vitest'
import { openPage, screenshot, useBench, VIEWPORTS } from './harness'
import { scriptsPage } from './pages/scripts'

const start = useBench()
const KEY = 'e2e-Live-Key-4242'
/** What crosses from one tab to the other (save, push, read again), on a busy machine. */
const CROSS = { timeout: 20_000 }

// Two browser tabs on the same `bench-acs serve`: an environment saved, changed or deleted in one
// shows in the other without a reload; typed edits in the other are kept and it is told.
it('shows environments saved in another tab at once, secrets still masked, without losing typed edits', async () => {
  const { app, page: a } = await start({ count: 0, path: '#/scripts', viewport: VIEWPORTS.narrow })
  const b = await openPage(a.context().browser()!, `${app.url}#/scripts`, { viewport: VIEWPORTS.wide })
  const sa = scriptsPage(a)
  const sb = scriptsPage(b)
  for (const s of [sa, sb]) {
    await s.items.first().click()
    await s.tab('envs').click()
    await s.envNew.waitFor()
  }
  await b.getByText('No environments yet.').waitFor()

  // Saved in A: listed in B, opened there, the secret as dots; offered next to Run.
  await sa.envNew.click()
  await sa.envName.fill('Customer A')
  await sa.envVarNames.nth(0).fill('WIFI_KEY')
  await sa.envVarSecrets.nth(0).check()
  await sa.envVarValues.nth(0).fill(KEY)
  await sa.envSave.click()
  await sa.envNote.filter({ hasText: 'Saved “Customer A”' }).waitFor()
  await sb.envItem('Customer A').waitFor(CROSS)
  await expect.poll(() => sb.envName.inputValue(), CROSS).toBe('Customer A')
  expect(await sb.envVarValues.nth(0).inputValue()).toBe('••••••••')
  await sb.runEnv.locator('option[value="Customer A"]').waitFor({ state: 'attached', ...CROSS })
  expect(await b.content()).not.toContain(KEY)
  await screenshot(b, 'scripts-environment-from-other-tab-1920')

  // Changed in A while B only looks at it: B shows the new variable.
  await sa.envVarAdd.click()
  await sa.envVarNames.nth(1).fill('SSID')
  await sa.envVarValues.nth(1).fill('CustA-5G')
  await sa.envSave.click()
  await expect.poll(() => sb.envVarNames.count(), CROSS).toBe(2)
  expect(await sb.envVarNames.nth(0).inputValue()).toBe('SSID')
  expect(await sb.envVarValues.nth(0).inputValue()).toBe('CustA-5G')

  // B types, then A saves: B keeps what was typed and says the stored one changed.
  await sb.envVarValues.nth(0).fill('typed-in-b')
  await sa.envName.fill('Customer A2')
  await sa.envSave.click()
  await sb.envItem('Customer A2').waitFor(CROSS)
  await b.getByTestId('env-elsewhere').filter({ hasText: 'was changed in another window' }).waitFor(CROSS)
  expect(await sb.envVarValues.nth(0).inputValue()).toBe('typed-in-b')
  expect(await sb.envName.inputValue()).toBe('Customer A')

  // Deleted in A: gone from B's list and its run selector; B's typed copy can be saved as new.
  await a.getByTestId('environments').getByRole('button', { name: 'Delete', exact: true }).click()
  await sa.envNote.filter({ hasText: 'Deleted' }).waitFor()
  await b.getByText('No environments yet.').waitFor(CROSS)
  await b.getByTestId('env-elsewhere').filter({ hasText: 'was deleted in another window' }).waitFor(CROSS)
  expect(await sb.runEnv.locator('option[value="Customer A2"]').count()).toBe(0)
  await screenshot(b, 'scripts-environment-deleted-in-other-tab-1920')
  // Its secret's stored value went with it: emptied to be typed again, never saved as dots.
  expect(await sb.envVarValues.nth(1).inputValue()).toBe('')
  await sb.envSave.click()
  await sb.envItem('Customer A').waitFor()
  await sa.envItem('Customer A').waitFor(CROSS)
  expect(app.bench.scripts.environments.forRun('Customer A')?.values).toEqual({ SSID: 'typed-in-b', WIFI_KEY: '' })
  await b.context().close()
})
