/**
 * The one-click CPE check against real simulated CPEs (TR-098 and TR-181) over HTTP: every check
 * passes, with the SOAP exchanged as evidence, and the HTML report escapes what the CPE sent.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { checkDeps } from '../../main/api/check'
import { checkList, renderHtmlReport, runChecks } from '../../main/core/check'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { nextEvent, startAcs, type TestAcs } from '../acs/helpers'

let acs: TestAcs | undefined
let fleet: SimFleet | undefined
afterEach(async () => {
  await fleet?.stop()
  await acs?.close()
  acs = fleet = undefined
})

describe('CPE check', () => {
  for (const model of ['tr098', 'tr181'] as const) {
    it(`passes every check on our own simulator (${model})`, async () => {
      acs = await startAcs({ connectionRequest: { username: 'cr', password: 'cr' } })
      const informed = nextEvent(acs.bench, 'session.ended')
      fleet = await startSimulator({
        acsUrl: acs.url,
        count: 1,
        model,
        periodicInformInterval: 0,
        retryMinimumWaitInterval: 0.2,
      })
      const { serial } = await informed
      const seen: string[] = []
      const report = await runChecks(checkDeps(acs.bench), serial, {
        waitMs: 30_000,
        onResult: (r) => seen.push(r.id),
      })
      const verdicts = Object.fromEntries(report.results.map((r) => [r.id, `${r.outcome}: ${r.detail}`]))
      if (process.env.SHOW_CHECK) console.log(verdicts)
      const expected = checkList()
        .filter((c) => !c.destructive)
        .map((c) => c.id)
      expect(seen).toEqual(expected)
      for (const id of expected) expect(verdicts[id], id).toMatch(/^pass: /)
      expect(report.counts).toEqual({ pass: expected.length, fail: 0, 'not-supported': 0 })
      // Evidence: the SOAP exchanged, e.g. the SPV and the ParameterKey read back.
      const spv = report.results.find((r) => r.id === 'spv-parameter-key')!
      expect(spv.evidence.some((e) => e.soapOut?.includes('<ParameterKey>check-'))).toBe(true)
      expect(report.results[0]!.evidence[0]?.soapIn).toContain('Inform')
      const html = renderHtmlReport(report)
      expect(html).toContain(`<h1>CPE check: ${serial}</h1>`)
      expect(html).toContain(`${expected.length} passed`)
      // The SOAP is shown as text, never as markup.
      expect(html).toContain('&lt;soap')
      expect(html).not.toMatch(/<script/i)
    })
  }
})
