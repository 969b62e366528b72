import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { screenshot, startApp, useBrowser, VIEWPORTS, type App } from './harness'
import { profilesPage } from './pages/library'

// The Profiles page with a YAML file (headless mode in Chromium): a bad one shows the core's
// message with the line and changes nothing; a good one is imported, its schedule shown with the
// next due time, and "Export as YAML" downloads what imports back.

const open = useBrowser()
let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

const GOOD = `format: bench-acs-profiles/1
profiles:
  - name: nightly ntp
    match: { productClass: BM63* }
    when:
      schedule: 0 3 * * *
    steps:
      - set: { InternetGatewayDevice.Time.NTPServer1: pool.ntp.org }
`

describe.each(Object.entries(VIEWPORTS))('Profiles as YAML at %s width', (size, viewport) => {
  it('imports a YAML file (a bad one refused with its line), shows the schedule, exports YAML', async () => {
    app = await startApp()
    const page = await open(`${app.url}#/profiles`, { viewport })
    const profiles = profilesPage(page)
    await profiles.empty.waitFor()
    const input = page.getByTestId('profile-import-input')

    const bad = GOOD.replace('schedule: 0 3 * * *', 'schedule: 0 27 * * *')
    await input.setInputFiles({ name: 'team.yaml', mimeType: 'application/yaml', buffer: Buffer.from(bad) })
    await profiles.note
      .filter({
        hasText: /team\.yaml line 6: profile "nightly ntp": when\.schedule "0 27 \* \* \*" is not a valid cron/,
      })
      .waitFor()
    expect(app.bench.profiles.list()).toEqual([])

    await input.setInputFiles({ name: 'team.yml', mimeType: 'application/yaml', buffer: Buffer.from(GOOD) })
    await profiles.note.filter({ hasText: 'Imported "nightly ntp" from team.yml.' }).waitFor()
    const when = profiles.row('nightly ntp').getByTestId('profile-when')
    await expect.poll(() => when.textContent()).toMatch(/^schedule 0 3 \* \* \* \(next .+\)$/)
    const profile = app.bench.profiles.get('nightly ntp')
    expect(profile.when).toEqual({ events: [], schedule: '0 3 * * *' })
    await screenshot(page, `profiles-yaml-${size}`)

    await page.getByTestId('profile-export-format').selectOption('yaml')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('profile-export-all').click(),
    ])
    expect(download.suggestedFilename()).toBe('bench-acs-profiles.yaml')
    const text = readFileSync((await download.path())!, 'utf8')
    expect(text).toBe(app.bench.profiles.export(undefined, 'yaml'))
    expect(parse(text)).toMatchObject({
      format: 'bench-acs-profiles/1',
      profiles: [{ name: 'nightly ntp', match: { productClass: 'BM63*' }, when: { schedule: '0 3 * * *' } }],
    })
  }, 120_000)
})
