// `bench-acs serve`'s output as a technician sees it: the built command line (out/main/cli.js), CPEs
// over real HTTP. One line per session, written in batches and flushed at the stop; when sessions
// come faster than a person can read, a summary line every 5 s, problems still a line each.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuiltCli, startBuiltServe } from '../support/built-cli'
import { answerUntilEnd, httpPost, informXml, ManualCpe } from './helpers'

const dirs: string[] = []
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'bench-serve-lines-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
beforeAll(() => ensureBuiltCli(), 180_000)

const sessionLine = (serial: string, reason: string) =>
  new RegExp(
    `^\\d\\d:\\d\\d:\\d\\d {2}${serial} {2}127\\.0\\.0\\.1 {2}\\[2 PERIODIC\\] {2}\\d+ RPCs? {2}[\\d.]+ m?s {2}${reason}$`,
    'm',
  )

/** A periodic session that answers whatever the ACS asks (a new device's discovery) until its 204. */
async function periodic(cpe: ManualCpe, serial: string): Promise<void> {
  await cpe.post(informXml({ serial, events: ['2 PERIODIC'] }))
  await answerUntilEnd(cpe, await cpe.post(null))
}

describe('bench-acs serve output', () => {
  it('prints a line per session, and at the stop the lines still waiting (the session it cut short)', async () => {
    const serve = await startBuiltServe(temp())
    const cpe = new ManualCpe(serve.url)
    await periodic(cpe, 'LINE-1')
    await serve.waitFor(sessionLine('LINE-1', 'completed'))
    // Mid-session when the technician presses Ctrl+C: its line is written while stopping, after
    // the last batch, and still reaches the terminal.
    expect((await cpe.post(informXml({ serial: 'LINE-2', events: ['2 PERIODIC'] }))).status).toBe(200)
    serve.child.kill('SIGINT')
    expect((await serve.exited).code).toBe(0)
    cpe.close()
    const out = serve.stdout()
    const stopping = out.indexOf('SIGINT: stopping…')
    expect(stopping).toBeGreaterThan(0)
    const cut = sessionLine('LINE-2', 'closed').exec(out)
    expect(cut?.index).toBeGreaterThan(stopping)
  }, 60_000)

  it('says a summary every 5 s while more than 20 sessions a second come; problems keep their lines', async () => {
    const serve = await startBuiltServe(temp())
    let running = true
    const cpes = Array.from({ length: 8 }, () => new ManualCpe(serve.url))
    const loops = cpes.map(async (cpe, i) => {
      while (running) await periodic(cpe, `FLOOD-${i}`)
    })
    try {
      const notice = /Sessions come faster than one can read \(\d+\/s\): a summary every 5 s/
      await expect.poll(() => notice.test(serve.stdout()), { timeout: 60_000, interval: 200 }).toBe(true)
      // A problem while summarising: a body that is no CWMP message, on its own line.
      const bad = await httpPost(serve.url, '<not-cwmp/>', { 'Content-Type': 'text/xml' })
      expect(bad.status).toBeGreaterThanOrEqual(400)
      const summary = /… (\d+) sessions in 5 s, 0 failed; 0 with faults$/m
      await expect.poll(() => summary.test(serve.stdout()), { timeout: 60_000, interval: 200 }).toBe(true)
      expect(Number(summary.exec(serve.stdout())![1])).toBeGreaterThan(100)
    } finally {
      running = false
      await Promise.all(loops)
      for (const cpe of cpes) cpe.close()
    }
    serve.child.kill('SIGINT')
    expect((await serve.exited).code).toBe(0)
    const out = serve.stdout()
    const from = out.search(/Sessions come faster than one can read/)
    const back = out.indexOf('Back to one line per session.', from)
    const summarised = out.slice(from, back < 0 ? undefined : back)
    // No session line while summarising; the problem line is there.
    expect(summarised).not.toMatch(sessionLine('FLOOD-\\d', '\\w+'))
    expect(summarised).toMatch(/^\d\d:\d\d:\d\d {2}! (security|fault): .+$/m)
  }, 180_000)
})
