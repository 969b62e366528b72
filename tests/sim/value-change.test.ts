/**
 * A value changed on the simulated CPE itself (as its user would, not by the ACS) is notified as
 * TR-069 3.2.1 says: Notification 2 starts a session with "4 VALUE CHANGE" and the parameter in the
 * ParameterList, 1 waits for the next session, 0 says nothing; a change the ACS made is never
 * notified. Against the real ACS over HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { BenchEventMap } from '../../main/core/events'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { nextInform, startBench } from './helpers'

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'

let acs: Awaited<ReturnType<typeof startBench>> | undefined
let fleet: SimFleet | undefined
afterEach(async () => {
  await fleet?.stop()
  await acs?.close()
  acs = fleet = undefined
})

async function oneCpe() {
  acs = await startBench()
  fleet = await startSimulator({ acsUrl: acs.url, count: 1, periodicInformInterval: 0, retryMinimumWaitInterval: 0.2 })
  const cpe = fleet.cpes[0]!
  const bench = acs.bench
  // Every Inform the ACS takes from it from now on, in order.
  const informs: BenchEventMap['device.informed'][] = []
  bench.events.on('device.informed', (e) => {
    if (e.device.serial === cpe.serial) informs.push(e)
  })
  const notify = async (notification: number) => {
    await bench.acs.execute(cpe.serial, {
      method: 'SetParameterAttributes',
      parameterList: [{ name: SSID, notificationChange: true, notification, accessListChange: false, accessList: [] }],
    })
    informs.length = 0
  }
  return { bench, cpe, informs, notify }
}

const codes = (i: BenchEventMap['device.informed'] | undefined) => i?.events.map((e) => e.code)

describe('simulated CPE: a value changed on the CPE', () => {
  it('with active notification opens a session at once, "4 VALUE CHANGE" with the parameter in the ParameterList', async () => {
    const { bench, cpe, informs, notify } = await oneCpe()
    await notify(2)
    const informed = nextInform(bench, cpe.serial, ['4 VALUE CHANGE'])
    expect(cpe.changeLocally(SSID, 'Guest network')).toEqual({ notification: 2 })
    const inform = await informed
    // Its own session: nothing else (periodic informs are off) made the CPE inform.
    expect(codes(inform)).toEqual(['4 VALUE CHANGE'])
    expect(inform.parameters).toContainEqual({ name: SSID, value: 'Guest network' })
    expect(bench.store.parameters.get(cpe.serial, SSID)?.value).toBe('Guest network')
    // Reported once: the next session does not list it again.
    const next = nextInform(bench, cpe.serial, ['2 PERIODIC'])
    await cpe.inform(['2 PERIODIC'])
    const again = await next
    expect(codes(again)).toEqual(['2 PERIODIC'])
    expect(again.parameters?.some((p) => p.name === SSID)).toBe(false)
    expect(informs.map(codes)).toEqual([['4 VALUE CHANGE'], ['2 PERIODIC']])
  })

  it('with passive notification waits for the next session, which carries it', async () => {
    const { bench, cpe, informs, notify } = await oneCpe()
    await notify(1)
    expect(cpe.changeLocally(SSID, 'Passive one')).toEqual({ notification: 1 })
    const informed = nextInform(bench, cpe.serial, ['2 PERIODIC'])
    await cpe.inform(['2 PERIODIC'])
    const inform = await informed
    // No session of its own before this one: the first Inform after the change is ours, with it.
    expect(informs.map(codes)).toEqual([['2 PERIODIC', '4 VALUE CHANGE']])
    expect(inform.parameters).toContainEqual({ name: SSID, value: 'Passive one' })
  })

  it('with notification off, or changed by the ACS, is not notified', async () => {
    const { bench, cpe, informs, notify } = await oneCpe()
    expect(cpe.changeLocally(SSID, 'Quiet')).toEqual({ notification: 0 })
    // Active notification, but the ACS makes the change: TR-069 3.2.1 notifies only other causes.
    await notify(2)
    await bench.acs.execute(cpe.serial, {
      method: 'SetParameterValues',
      parameterList: [{ name: SSID, value: 'Set by the ACS', type: 'xsd:string' }],
      parameterKey: '',
    })
    expect(cpe.get(SSID)).toBe('Set by the ACS')
    const informed = nextInform(bench, cpe.serial, ['2 PERIODIC'])
    await cpe.inform(['2 PERIODIC'])
    const inform = await informed
    expect(informs.map(codes).filter((c) => c?.includes('4 VALUE CHANGE'))).toEqual([])
    expect(codes(inform)).toEqual(['2 PERIODIC'])
    expect(inform.parameters?.some((p) => p.name === SSID)).toBe(false)
  })

  it('refuses a name the CPE does not have, and an object', async () => {
    const { cpe } = await oneCpe()
    expect(() => cpe.changeLocally('InternetGatewayDevice.Nope', 'x')).toThrow(
      /has no parameter InternetGatewayDevice\.Nope/,
    )
    expect(() => cpe.changeLocally('InternetGatewayDevice.LANDevice.', 'x')).toThrow(/has no parameter/)
  })
})
