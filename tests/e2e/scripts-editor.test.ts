import { describe, expect, it } from 'vitest'
import { screenshot, useBench, VIEWPORTS } from './harness'
import { scriptsPage } from './pages/scripts'

const start = useBench()

const BROKEN = 'print("one")\nprint("two")\nlocal = 3\nprint("four")\nprint("five")\n'

describe('Scripts: errors that point at their line, a target and a script that stay', () => {
  it('refuses to run a script that does not compile, saves nothing, and jumps to the error (900 px)', async () => {
    const { app, page } = await start({ count: 0, path: '#/scripts', viewport: VIEWPORTS.narrow })
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource('print("good")\n')
    await s.noProblems.waitFor()
    await s.save.click()
    const id = app.bench.scripts.list().find((x) => x.name.startsWith('New script'))!.id
    await expect.poll(() => app.bench.scripts.get(id)?.source, { timeout: 10_000 }).toBe('print("good")\n')
    const saved = app.bench.scripts.get(id)!

    await s.setSource(BROKEN)
    await s.targetKind.selectOption('none')
    await s.run.click()
    await s.runRefused.waitFor()
    expect(await s.runRefusedLine.textContent()).toBe('line 3')
    // Neither saved nor run: the good version is still the script, no run was started.
    expect(app.bench.scripts.get(saved.id)).toMatchObject({ version: saved.version, source: saved.source })
    expect(app.bench.scripts.runs({ scriptId: saved.id })).toEqual([])
    // The error's text shows once, below the editor, without the chunk name.
    expect(await s.problems.count()).toBe(1)
    expect(await s.problems.first().textContent()).not.toContain('New script')
    await screenshot(page, 'scripts-run-refused-900')

    // The cursor is at the end (line 6); the link puts it on line 3, and so does the problem line.
    expect(await s.cursorLine.textContent()).not.toBe('local = 3')
    await s.runRefusedLine.click()
    await s.cursorLine.filter({ hasText: /^local = 3$/ }).waitFor()
    await page.keyboard.press('ControlOrMeta+End')
    await s.cursorLine.filter({ hasNotText: 'local = 3' }).waitFor()
    await s.problemAt(3).click()
    await s.cursorLine.filter({ hasText: /^local = 3$/ }).waitFor()
  })

  it('names a runtime error by its line once, not "line 3: New script:3:" (1920 px)', async () => {
    const { app, page } = await start({ count: 0, path: '#/scripts', viewport: VIEWPORTS.wide })
    const s = scriptsPage(page)
    await s.items.first().waitFor()
    await s.create.click()
    await s.name.filter({ hasText: /^New script/ }).waitFor()
    await s.setSource('print("before")\nlocal settings = nil\nprint(settings.ssid)\n')
    await s.noProblems.waitFor()
    await s.targetKind.selectOption('none')
    await s.run.click()
    await s.summaryIn('failed').waitFor()
    const summary = (await s.summaryError.textContent())!
    expect(summary).toMatch(/^line 3: attempt to index .*nil value/)
    expect(summary).not.toMatch(/New script[^:]*:3:/)
    await s.tab('runs').click()
    const row = s.runRowWithStatus('failed')
    await row.waitFor()
    expect(await row.textContent()).not.toMatch(/New script[^:]*:3:/)
    // The stored record keeps the runtime's own message (the CLI and the journal show it whole).
    const [run] = app.bench.scripts.runs({ limit: 1 })
    expect(run!.error!.line).toBe(3)
    await screenshot(page, 'scripts-runtime-error-once-1920')
  })

  it('keeps the run target across scripts and reopens the script used last', async () => {
    const { app, serial, page } = await start({ serialPrefix: 'TGT', path: '#/scripts' })
    const s = scriptsPage(page)
    await s.items.nth(1).waitFor()
    await s.serials.fill(`${serial}, OTHER-1`)
    // Another script (not the first of the list): the target stays as typed.
    const second = (await s.items.nth(1).getAttribute('data-name'))!
    await s.items.nth(1).click()
    await s.name.filter({ hasText: second }).waitFor()
    expect(await s.serials.inputValue()).toBe(`${serial}, OTHER-1`)
    await s.targetKind.selectOption('none')
    await s.items.nth(0).click()
    await s.name.filter({ hasNotText: second }).waitFor()
    expect(await s.targetKind.inputValue()).toBe('none')
    await s.items.nth(1).click()
    await s.name.filter({ hasText: second }).waitFor()

    // A new visit to the Scripts page (no script in the address) opens the one used last.
    await page.goto(`${app.url}#/devices`)
    await page.goto(`${app.url}#/scripts`)
    await s.name.filter({ hasText: second }).waitFor()
    await page.reload()
    await s.name.filter({ hasText: second }).waitFor()
    expect(await s.targetKind.inputValue()).toBe('none')
    await screenshot(page, 'scripts-last-used')
  })
})
