// `bench-acs sim` takes commands on its standard input while it runs: "change [SERIAL] NAME VALUE"
// makes a simulated CPE change a value as its user would. A real process, a real ACS over HTTP.
import { afterEach, describe, expect, it } from 'vitest'
import { spawnCliFromSources } from '../support/cli'
import { nextInform, startBench } from './helpers'

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('bench-acs sim: commands while it runs', () => {
  it('changes a value on the CPE: with active notification the ACS gets "4 VALUE CHANGE" at once', async () => {
    const acs = await startBench()
    cleanups.push(acs.close)
    const sim = spawnCliFromSources([
      'sim',
      '--acs',
      acs.url,
      '--count',
      '2',
      '--serial-prefix',
      'IN',
      '--interval',
      '0',
    ])
    cleanups.push(() => void (sim.child.exitCode === null && sim.child.kill('SIGKILL')))
    await sim.waitFor(/All 2 CPEs bootstrapped/)
    // The hint is its own line after that one: wait for it too, not only for the first.
    await sim.waitFor(/Type "change \[SERIAL\] NAME VALUE"/)

    await acs.bench.acs.execute('IN000002', {
      method: 'SetParameterAttributes',
      parameterList: [
        { name: SSID, notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
      ],
    })
    const informed = nextInform(acs.bench, 'IN000002', ['4 VALUE CHANGE'])
    sim.type(`change IN000002 ${SSID} Guest network`)
    await sim.waitFor(/IN000002 \S+SSID = "Guest network" changed on the CPE \(active notification/)
    const inform = await informed
    expect(inform.events.map((e) => e.code)).toEqual(['4 VALUE CHANGE'])
    expect(inform.parameters).toContainEqual({ name: SSID, value: 'Guest network' })
    expect(acs.bench.store.parameters.get('IN000002', SSID)?.value).toBe('Guest network')

    // Which CPE, with several, and what does not exist: said plainly, the fleet runs on.
    sim.type(`change ${SSID} x`)
    await sim.waitFor(/No simulated CPE has the serial "InternetGatewayDevice\S+": with 2 CPEs, say which one/)
    sim.type('change IN000001 InternetGatewayDevice.NoSuch.Thing 1')
    await sim.waitFor(/IN000001: cannot change InternetGatewayDevice\.NoSuch\.Thing: IN000001 has no parameter/)
    sim.type('reboot')
    await sim.waitFor(/Unknown command "reboot": type "help" for the list\./)

    sim.child.kill('SIGINT')
    expect(await sim.exited).toBe(0)
  })
})
