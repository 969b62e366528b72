import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Bench } from '../../main/core/bench'
import { CwmpFaultError } from '../../main/core/cwmp'
import { checkFaults, FaultInputError, startSimulator, type SimFleet, type SimulatedCpe } from '../../main/core/sim'
import { nextInform, startBench } from './helpers'

// Faults injected into one simulated CPE, seen from the real ACS over real HTTP: the other CPE of
// the fleet keeps answering normally.

let bench: Bench
let close: () => Promise<void>
let fleet: SimFleet
let cpe: SimulatedCpe
let other: SimulatedCpe

beforeAll(async () => {
  ;({ bench, close } = await startBench())
  fleet = await startSimulator({
    acsUrl: bench.acs.address!.url,
    count: 2,
    serialPrefix: 'FLT',
    periodicInformInterval: 0,
    connectionRequestUsername: 'cr',
    connectionRequestPassword: 'cr',
  })
  ;[cpe, other] = fleet.cpes as [SimulatedCpe, SimulatedCpe]
})

afterAll(async () => {
  await fleet.stop()
  await close()
})

const faultOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CwmpFaultError)
  return (error as CwmpFaultError).fault
}

const SOFTWARE = 'InternetGatewayDevice.DeviceInfo.SoftwareVersion'

describe('fault injection per simulated CPE, against the real ACS', () => {
  it('refuses a named RPC with the fault code given, and answers the others', async () => {
    cpe.setFaults({ refuse: [{ method: 'GetParameterValues', faultCode: 9002 }] })
    const f = await faultOf(bench.acs.execute(cpe.serial, { method: 'GetParameterValues', parameterNames: [SOFTWARE] }))
    expect(f).toMatchObject({ faultCode: 9002, faultString: 'Internal error' })
    // Other RPCs on this CPE, and the same RPC on the other CPE, are answered.
    const names = await bench.acs.execute(cpe.serial, { method: 'GetRPCMethods' })
    expect(names.methodList).toContain('GetParameterValues')
    const values = await bench.acs.execute(other.serial, { method: 'GetParameterValues', parameterNames: [SOFTWARE] })
    expect(values.parameterList[0]!.value).toBe(other.get(SOFTWARE))
    // A vendor code and its own text reach the ACS as given.
    cpe.setFaults({ refuse: [{ method: 'Reboot', faultCode: 9801, faultString: 'Locked by the ISP' }] })
    expect(await faultOf(bench.acs.execute(cpe.serial, { method: 'Reboot', commandKey: 'r1' }))).toMatchObject({
      faultCode: 9801,
      faultString: 'Locked by the ISP',
    })
    cpe.setFaults({})
    const back = await bench.acs.execute(cpe.serial, { method: 'GetParameterValues', parameterNames: [SOFTWARE] })
    expect(back.parameterList[0]!.value).toBe(cpe.get(SOFTWARE))
  })

  it('goes offline (no sessions, connection requests unanswered) and informs what it missed when back', async () => {
    cpe.setFaults({ offline: true })
    let started = 0
    const off = fleet.on((e) => {
      if (e.serial === cpe.serial && e.name === 'session-start') started++
    })
    await expect(bench.acs.wake(cpe.serial)).rejects.toThrow()
    // An inform asked for while offline waits; nothing reaches the ACS meanwhile.
    const informed = nextInform(bench, cpe.serial, ['2 PERIODIC'])
    const pending = cpe.inform(['2 PERIODIC'])
    await expect(bench.acs.wake(cpe.serial)).rejects.toThrow()
    expect(started).toBe(0)
    cpe.setFaults({ offline: false })
    await pending
    await informed
    expect(started).toBe(1)
    off()
    await bench.acs.wake(cpe.serial)
  })

  it('answers slowly: each answer to the ACS waits the delay given', async () => {
    cpe.setFaults({ answerDelayMs: 1_500 })
    const started = Date.now()
    const r = await bench.acs.execute(cpe.serial, { method: 'GetParameterValues', parameterNames: [SOFTWARE] })
    expect(r.parameterList[0]!.value).toBe(cpe.get(SOFTWARE))
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500)
    cpe.setFaults({})
  })

  it('stops promptly while it is holding back an answer', async () => {
    const fleet2 = await startSimulator({
      acsUrl: bench.acs.address!.url,
      serialPrefix: 'HOLD',
      periodicInformInterval: 0,
      connectionRequestUsername: 'cr',
      connectionRequestPassword: 'cr',
    })
    const slow = fleet2.cpes[0]!
    slow.setFaults({ answerDelayMs: 120_000 })
    const answered = bench.acs.execute(slow.serial, { method: 'GetRPCMethods' }, { timeoutMs: 60_000 }).catch((e) => e)
    await expect.poll(() => bench.acs.inSession(slow.serial), { timeout: 10_000 }).toBe(true)
    await fleet2.stop()
    expect(slow.faults.answerDelayMs).toBe(120_000)
    bench.acs.cancel((bench.acs.rpcs(slow.serial).find((r) => r.state !== 'done') ?? { id: '' }).id)
    await answered
  })

  it('says what is wrong with bad fault input', () => {
    expect(() => checkFaults({ refuse: [{ method: 'Explode', faultCode: 9000 }] })).toThrow(FaultInputError)
    expect(() => checkFaults({ refuse: [{ method: 'Reboot', faultCode: 404 }] })).toThrow(/9000 to 9899/)
    expect(() => checkFaults({ answerDelayMs: -1 })).toThrow(/milliseconds/)
    expect(() => checkFaults({ offline: 'yes' })).toThrow(/true or false/)
    expect(() => cpe.setFaults(null)).toThrow(FaultInputError)
    expect(cpe.faults).toEqual({ offline: false, refuse: [], answerDelayMs: 0 })
  })
})
