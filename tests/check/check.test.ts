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
      // The CPE is one of ours: the value-change check may change a value on it as its user would.
      const deps = { ...checkDeps(acs.bench), simulated: (s: string) => fleet!.cpes.find((c) => c.serial === s) }
      const ssid =
        model === 'tr098' ? 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID' : 'Device.WiFi.SSID.1.SSID'
      const ssidBefore = fleet.cpes[0]!.get(ssid)
      const report = await runChecks(deps, serial, {
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
      expect(report.counts).toEqual({ pass: expected.length, fail: 0, 'not-supported': 0, 'not-observed': 0 })
      // 4 VALUE CHANGE, in the Inform the check's change caused, is its evidence.
      const vc = report.results.find((r) => r.id === 'value-change')!
      expect(vc.evidence.some((e) => e.soapIn?.includes('4 VALUE CHANGE'))).toBe(true)
      expect(vc.detail).toContain(ssid)
      // What it changed on the CPE is put back.
      expect(fleet.cpes[0]!.get(ssid)).toBe(ssidBefore)
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

  it('on a CPE that is not one of ours, verifies active notification but reports "4 VALUE CHANGE" as not observed, and restores the attribute', async () => {
    acs = await startAcs({ connectionRequest: { username: 'cr', password: 'cr' } })
    const informed = nextEvent(acs.bench, 'session.ended')
    fleet = await startSimulator({ acsUrl: acs.url, count: 1, periodicInformInterval: 0 })
    const { serial } = await informed
    // checkDeps of a bench whose own fleet does not have this CPE: to the check it is a real one.
    const report = await runChecks(checkDeps(acs.bench), serial, { only: ['gpn-full', 'value-change'] })
    const vc = report.results.find((r) => r.id === 'value-change')!
    expect(vc.outcome).toBe('not-observed')
    expect(vc.detail).toMatch(
      /^Active notification on InternetGatewayDevice\.LANDevice\.1\.WLANConfiguration\.1\.SSID is accepted/,
    )
    expect(report.counts['not-observed']).toBe(1)
    const ssid = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'
    const attrs = await acs.bench.acs.execute(serial, { method: 'GetParameterAttributes', parameterNames: [ssid] })
    expect(attrs.parameterList[0]?.notification).toBe(0)
    expect(renderHtmlReport(report)).toContain('1 not observed')
  })

  it('fails value-change when the change on the CPE brings no "4 VALUE CHANGE"', async () => {
    acs = await startAcs({ connectionRequest: { username: 'cr', password: 'cr' } })
    const informed = nextEvent(acs.bench, 'session.ended')
    fleet = await startSimulator({ acsUrl: acs.url, count: 1, periodicInformInterval: 0 })
    const { serial } = await informed
    const cpe = fleet.cpes[0]!
    // A CPE that takes the attribute but never notifies: its "change" sets the value with notification off.
    const deps = {
      ...checkDeps(acs.bench),
      simulated: () => ({
        changeLocally(name: string, value: string) {
          void acs!.bench.acs
            .execute(serial, {
              method: 'SetParameterAttributes',
              parameterList: [
                { name, notificationChange: true, notification: 0, accessListChange: false, accessList: [] },
              ],
            })
            .then(() => cpe.changeLocally(name, value))
          return { notification: 2 }
        },
      }),
    }
    const report = await runChecks(deps, serial, { only: ['gpn-full', 'value-change'], waitMs: 3_000 })
    const vc = report.results.find((r) => r.id === 'value-change')!
    expect(vc.outcome, vc.detail).toBe('fail')
    expect(vc.detail).toMatch(/no Inform with "4 VALUE CHANGE" within 3 s/)
  })
})
