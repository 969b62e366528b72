/**
 * The CPE check against genieacs-sim, a real third-party simulator run as its own process: its
 * gaps are reported as fail / not supported, and it is never crashed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkDeps } from '../../main/api/check'
import { runChecks } from '../../main/core/check'
import { installGenieacsSim, startGenieacsSim, type GenieacsSim } from '../acs/genieacs-sim'
import { startAcs, until, type TestAcs } from '../acs/helpers'

let dir: string
let acs: TestAcs
let sim: GenieacsSim

beforeAll(async () => {
  dir = installGenieacsSim()
  acs = await startAcs({ cwmp: { discoverOnBootstrap: true } })
  sim = startGenieacsSim(dir, acs.url, 1)
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  sim?.remove()
  await acs?.close()
})

describe('CPE check on genieacs-sim', () => {
  it('reports its gaps as fail or not supported, with the SOAP, and does not crash it', async () => {
    const { bench } = acs
    const serial = '000000'
    await until(() => bench.store.devices.get(serial)?.model === 'BM632w' && !bench.acs.inSession(serial))
    const report = await runChecks(checkDeps(bench), serial, { waitMs: 8_000 })
    const outcome = Object.fromEntries(report.results.map((r) => [r.id, r.outcome]))
    const detail = Object.fromEntries(report.results.map((r) => [r.id, r.detail]))
    expect(outcome, JSON.stringify(detail, null, 1)).toEqual({
      inform: 'pass',
      'connection-request': 'pass',
      // It has no GetRPCMethods, SetParameterAttributes / GetParameterAttributes nor Reboot (fault 9000).
      'get-rpc-methods': 'not-supported',
      'gpn-next-level': 'pass',
      'gpn-full': 'pass',
      'gpv-full': 'pass',
      // A partial path would crash it: not sent.
      'gpv-partial': 'fail',
      // It never writes ParameterKey.
      'spv-parameter-key': 'fail',
      'add-delete-object': 'pass',
      'parameter-attributes': 'not-supported',
      'value-change': 'not-supported',
      reboot: 'not-supported',
      // Its TransferComplete waits for its next periodic Inform instead of a new session at once.
      download: 'fail',
    })
    expect(detail['gpv-partial']).toMatch(/^Not sent/)
    expect(detail['spv-parameter-key']).toMatch(/ParameterKey reads ""/)
    const rpc = report.results.find((r) => r.id === 'get-rpc-methods')!
    expect(rpc.evidence.some((e) => e.soapIn?.includes('<FaultCode>9000</FaultCode>'))).toBe(true)
    expect(sim.deaths()).toEqual([])
  })
})
