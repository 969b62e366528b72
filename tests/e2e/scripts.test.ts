import { describe, expect, it } from 'vitest'
import { screenshot, useBench } from './harness'
import { scriptsPage } from './pages/scripts'

const start = useBench()
/** The Scripts page with one simulated CPE (serial LUA000001) behind the ACS. */
const withCpe = () => start({ serialPrefix: 'LUA', path: '#/scripts' }).then((b) => ({ ...b, fleet: b.fleet! }))
/** The Scripts page, no CPE. */
const alone = () => start({ count: 0, path: '#/scripts' })

const PARAM = 'InternetGatewayDevice.DeviceInfo.SoftwareVersion'

// The seed page's GetParameterValues example, as a technician would paste it.
const GET_SCRIPT = `local d = get_device(DEVICE)
print("device " .. d.sn .. " class " .. d.product_class)
local xml = [[
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">
  <soap:Header/>
  <soap:Body>
    <cwmp:GetParameterValues>
      <ParameterNames><string>${PARAM}</string></ParameterNames>
    </cwmp:GetParameterValues>
  </soap:Body>
</soap:Envelope>
]]
local values = send_cwmp_message(DEVICE, xml, 0)
for name, value in pairs(values) do print(name .. "=" .. value) end
`

describe('Scripts page', () => {
  it('runs a script written in the editor against a simulated CPE and shows its output', async () => {
    const { app, fleet, serial, page } = await withCpe()
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource(GET_SCRIPT)
    await s.noProblems.waitFor()
    await s.serials.fill(serial)
    await s.run.click()
    await s.outputLines.filter({ hasText: `device ${serial} class BM632w` }).waitFor()
    await s.outputLines.filter({ hasText: `${PARAM}=${fleet.cpes[0]!.get(PARAM)}` }).waitFor()
    await screenshot(page, 'scripts-run-output')
    // The run is in the history, done; Run saved the script first.
    await s.tab('runs').click()
    await s.runRowWithStatus('done').waitFor()
    expect(app.bench.scripts.list().find((x) => x.name.startsWith('New script'))?.version).toBe(2)
  })

  it('marks a syntax error at its line', async () => {
    const { page } = await alone()
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource('print("one")\nprint("two")\nlocal = 3\nprint("four")\n')
    await s.problemAt(3).waitFor()
    expect(await s.problems.count()).toBe(1)
    await page.locator('[data-testid="script-editor"] .cm-lintRange-error').first().waitFor()
    expect(await s.markedLines()).toEqual([3])
    await screenshot(page, 'scripts-syntax-error')
  })

  it('says why a run failed, and where: a runtime error at its line, an unknown serial at the run bar', async () => {
    const { page } = await alone()
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource('print("before")\nlocal settings = nil\nprint(settings.ssid)\n')
    await s.noProblems.waitFor()
    await s.targetKind.selectOption('none')
    await s.run.click()
    await s.summaryIn('failed').waitFor()
    expect(await s.summaryError.textContent()).toMatch(/^line 3: .*nil value/)
    await s.outputLines.filter({ hasText: 'before' }).waitFor()
    await screenshot(page, 'scripts-runtime-error')

    await s.targetKind.selectOption('devices')
    await s.serials.fill('NO-SUCH-CPE')
    await s.run.click()
    await s.runError.filter({ hasText: 'NO-SUCH-CPE' }).waitFor()
    // The failed run above is still what the console shows.
    expect(await s.summary.getAttribute('data-status')).toBe('failed')
  })

  it('completes the host API in the editor and documents every function with an example', async () => {
    const { app, page } = await alone()
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource('')
    await page.keyboard.type('get_parameter_v')
    await s.completions.filter({ hasText: 'get_parameter_values' }).first().waitFor()
    await s.completionInfo.filter({ hasText: 'get_parameter_values(DEVICE' }).waitFor()
    // Accepting it inserts a call with a field per required argument. Clicked, not Enter: CodeMirror
    // ignores Enter for 75 ms after the list changes (interactionDelay), which a busy machine hits.
    await s.completions.filter({ hasText: 'get_parameter_values' }).first().click()
    // A locator, not waitForFunction: a string predicate polled in the page is eval, which the
    // UI's CSP (no unsafe-eval) refuses whenever the first check comes too early.
    await page
      .locator('[data-testid="script-editor"] .cm-content')
      .filter({ hasText: 'get_parameter_values(serial, names)' })
      .waitFor()
    await screenshot(page, 'scripts-completion')
    // The API tab lists what the runtime offers, each with an example.
    await s.tab('reference').click()
    await s.reference.waitFor()
    for (const { name, example } of app.bench.scripts.api().functions) {
      const entry = s.referenceEntry(name)
      await entry.waitFor()
      expect(await entry.locator('pre').textContent()).toBe(example)
    }
    await s.referenceEntry('send_cwmp_message').scrollIntoViewIfNeeded()
    await screenshot(page, 'scripts-api-reference')
  })

  it('shows a listener as running until it is stopped, then as stopped', async () => {
    const { app, fleet, serial, page } = await withCpe()
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource(
      'while true do\n  local e = listen_to_cwmp_event()\n  print("event " .. e.event .. " from " .. e.serial_number)\nend\n',
    )
    await s.noProblems.waitFor()
    await s.targetKind.selectOption('none')
    await s.run.click()
    await s.summaryIn('listening').waitFor()
    await s.tab('listeners').click()
    await s.runRowWithStatus('listening').waitFor()

    // It hears the CPE's next session.
    await fleet.cpes[0]!.inform(['2 PERIODIC'])
    await s.tab('output').click()
    await s.outputLines.filter({ hasText: `event 2 from ${serial}` }).waitFor()

    await s.tab('listeners').click()
    await s.runRowWithStatus('listening').getByTestId('run-stop').click()
    await s.runRowWithStatus('stopped').waitFor()
    expect(app.bench.scripts.active()).toEqual([])
    await s.tab('output').click()
    await s.summaryIn('stopped').waitFor()
    await screenshot(page, 'scripts-listener-stopped')
  })

  it('shows the stored output of a run that ended before the page opened it', async () => {
    const { app, page } = await alone()
    const script = app.bench.scripts.create({ name: 'Printed earlier', source: 'print("line one")\nprint("line two")' })
    const [run] = app.bench.scripts.run(script.id, { target: { kind: 'none' } })
    await expect.poll(() => app.bench.scripts.getRun(run!.id)?.status, { timeout: 20_000 }).toBe('ok')
    await expect.poll(() => app.bench.scripts.output(run!.id).length, { timeout: 20_000 }).toBe(2)
    const s = scriptsPage(page)
    await s.item('Printed earlier').click()
    await s.tab('runs').click()
    await s.runRowWithStatus('done').getByTestId('run-open').click()
    // Read from the store (the live stream carried it before the page was open).
    await s.outputLines.filter({ hasText: 'line two' }).waitFor()
    expect(await s.outputLines.allTextContents()).toEqual([
      expect.stringContaining('line one'),
      expect.stringContaining('line two'),
    ])
  })
})
