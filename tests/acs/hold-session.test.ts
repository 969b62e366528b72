import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { informXml, ManualCpe, nextEvent, startAcs, type TestAcs } from './helpers'

const IGD = 'InternetGatewayDevice.'
const SN = 'SIM000001'
const UPTIME = { method: 'GetParameterValues' as const, parameterNames: [`${IGD}DeviceInfo.UpTime`] }

let acs: TestAcs | undefined
let fleet: SimFleet | undefined
let crServer: Server | undefined

afterEach(async () => {
  await fleet?.stop()
  await acs?.close()
  crServer?.closeAllConnections()
  await new Promise((r) => (crServer ? crServer.close(r) : r(undefined)))
  fleet = undefined
  acs = undefined
  crServer = undefined
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

  it('ends a held session at once when the CPE hangs up, and wakes the device for work queued after', async () => {
    const requests: string[] = []
    crServer = createServer((req, res) => {
      requests.push(req.url ?? '')
      res.writeHead(200).end()
    })
    await new Promise<void>((r) => crServer!.listen(0, '127.0.0.1', r))
    const crUrl = `http://127.0.0.1:${(crServer.address() as AddressInfo).port}/cr`
    // A long session timeout: the dead session must not simply wait for it.
    acs = await startAcs({ cwmp: { sessionTimeoutMs: 300_000 } })
    const { bench } = acs
    const cpe = new ManualCpe(acs.url)
    await cpe.post(informXml({ serial: 'HANGUP', crUrl }))
    const first = bench.acs.execute('HANGUP', UPTIME, { holdSessionMs: 60_000 })
    const sent = await cpe.post(null)
    const held = cpe
      .post({ method: 'GetParameterValuesResponse', parameterList: [] }, sent.envelope?.header.id)
      .catch((e: unknown) => e)
    await first
    expect(bench.acs.inSession('HANGUP')).toBe(true)
    const ended = nextEvent(bench, 'session.ended', (e) => e.serial === 'HANGUP')
    // The CPE gives up waiting for the answer to its POST.
    cpe.close()
    expect(await held).toBeInstanceOf(Error)
    expect(await ended).toMatchObject({ reason: 'error', rpcs: 1 })
    expect(bench.acs.inSession('HANGUP')).toBe(false)

    // So the next RPC is not left waiting for a session that is gone: it wakes the device.
    const woken = new Promise((r) => crServer!.once('request', r))
    void bench.acs.execute('HANGUP', { method: 'GetRPCMethods' }, { onUnreachable: 'wait' }).catch(() => {})
    await woken
    expect(requests).toEqual(['/cr'])
  })
})
