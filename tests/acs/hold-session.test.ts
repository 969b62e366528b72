import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { nextEvent, startAcs, type TestAcs } from './helpers'

const IGD = 'InternetGatewayDevice.'
const SN = 'SIM000001'
const UPTIME = { method: 'GetParameterValues' as const, parameterNames: [`${IGD}DeviceInfo.UpTime`] }

let acs: TestAcs | undefined
let fleet: SimFleet | undefined

afterEach(async () => {
  await fleet?.stop()
  await acs?.close()
  fleet = undefined
  acs = undefined
})

async function setup() {
  acs = await startAcs({ connectionRequest: { username: 'cr', password: 'cr' } })
  fleet = await startSimulator({ acsUrl: acs.url, count: 1, periodicInformInterval: 0 })
  return { bench: acs.bench, cpe: fleet.cpes[0]! }
}

const connectionRequests = (t: TestAcs) =>
  t.bench.store.events.query({ serial: SN, kinds: ['connection-request'] }).length

/** Counts the device's sessions from now on. */
function countSessions(t: TestAcs): { readonly started: number } {
  const counter = { started: 0 }
  t.bench.events.on('session.started', (e) => {
    if (e.serial === SN) counter.started++
  })
  return counter
}

describe('holding a session for the caller’s next RPC (holdSessionMs)', () => {
  it('serves RPCs sent one after another in one session and one connection request', async () => {
    const { bench, cpe } = await setup()
    const sessions = countSessions(acs!)
    const ended = nextEvent(bench, 'session.ended', (e) => e.serial === SN)
    const hold = { holdSessionMs: 5_000 }
    const first = await bench.acs.execute(SN, UPTIME, hold)
    // The answer has come back and the queue is empty: the session waits for the next RPC.
    expect(bench.acs.inSession(SN)).toBe(true)
    const set = await bench.acs.execute(
      SN,
      {
        method: 'SetParameterValues',
        parameterList: [{ name: `${IGD}DeviceInfo.ProvisioningCode`, value: 'HELD', type: 'xsd:string' }],
        parameterKey: 'hold',
      },
      hold,
    )
    const second = await bench.acs.execute(SN, UPTIME, hold)
    expect(first.parameterList).toHaveLength(1)
    expect(set.status).toBe(0)
    expect(second.parameterList).toHaveLength(1)
    // A Reboot happens after the session: the ACS ends it at once instead of holding it.
    const reboot = bench.acs.execute(SN, { method: 'Reboot', commandKey: 'after-hold' }, hold)
    const session = await ended
    await reboot
    expect(session).toMatchObject({ reason: 'completed', rpcs: 4 })
    expect(session.durationMs).toBeLessThan(5_000)
    expect(connectionRequests(acs!)).toBe(1)
    expect(sessions.started).toBe(1)
    expect(cpe.get(`${IGD}DeviceInfo.ProvisioningCode`)).toBe('HELD')
  })

  it('without a hold, each RPC after the first needs its own connection request and session', async () => {
    const { bench } = await setup()
    const sessions = countSessions(acs!)
    for (let i = 0; i < 2; i++) {
      const ended = nextEvent(bench, 'session.ended', (e) => e.serial === SN)
      await bench.acs.execute(SN, UPTIME)
      expect(await ended).toMatchObject({ rpcs: 1 })
    }
    expect(connectionRequests(acs!)).toBe(2)
    expect(sessions.started).toBe(2)
  })

  it('ends a held session with 204 when no further RPC comes within the hold', async () => {
    const { bench } = await setup()
    const ended = nextEvent(bench, 'session.ended', (e) => e.serial === SN)
    await bench.acs.execute(SN, UPTIME, { holdSessionMs: 200 })
    expect(await ended).toMatchObject({ reason: 'completed', rpcs: 1 })
    expect(bench.acs.inSession(SN)).toBe(false)
  })
})
