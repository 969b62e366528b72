import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { informXml, ManualCpe, nextEvent, startAcs, type TestAcs } from './helpers'

let acs: TestAcs | undefined
let fleet: SimFleet | undefined
afterEach(async () => {
  await fleet?.stop()
  await acs?.close()
  fleet = undefined
  acs = undefined
})

describe('discovery on bootstrap (cwmp.discoverOnBootstrap)', () => {
  it('reads DeviceInfo. and ManagementServer. of a new TR-098 and TR-181 device in its first session', async () => {
    acs = await startAcs({ cwmp: { discoverOnBootstrap: true } })
    const { bench } = acs
    const ended = [
      nextEvent(bench, 'session.ended', (e) => e.serial === 'SIM000001'),
      nextEvent(bench, 'session.ended', (e) => e.serial === 'TR181-000001'),
    ]
    fleet = await startSimulator({ acsUrl: acs.url, count: 1, periodicInformInterval: 900 })
    const tr181 = await startSimulator({
      acsUrl: acs.url,
      count: 1,
      model: 'tr181',
      serialPrefix: 'TR181-',
      periodicInformInterval: 600,
    })
    try {
      const [tr098Session, tr181Session] = await Promise.all(ended)
      expect(tr098Session).toMatchObject({ events: ['0 BOOTSTRAP', '1 BOOT'], rpcs: 2 })
      expect(tr181Session).toMatchObject({ events: ['0 BOOTSTRAP', '1 BOOT'], rpcs: 2 })
      // What the Inform alone does not carry: the model name and the periodic inform interval.
      expect(bench.store.devices.get('SIM000001')).toMatchObject({ model: 'BM632w', periodicInformInterval: 900 })
      expect(bench.store.devices.get('TR181-000001')).toMatchObject({ model: 'BR-1800', periodicInformInterval: 600 })
      expect(bench.store.parameters.children('SIM000001', 'InternetGatewayDevice.DeviceInfo.').length).toBeGreaterThan(
        10,
      )
      expect(bench.store.events.query({ serial: 'SIM000001', kinds: ['rpc'] })).toHaveLength(2)
      // A later session of a known device is not a discovery.
      const again = nextEvent(bench, 'session.ended', (e) => e.serial === 'SIM000001')
      await fleet.cpes[0]!.inform(['2 PERIODIC'])
      expect(await again).toMatchObject({ rpcs: 0 })
    } finally {
      await tr181.stop()
    }
  })

  it('logs a CPE that lacks an object as a fault and still ends the session normally', async () => {
    acs = await startAcs({ cwmp: { discoverOnBootstrap: true } })
    const cpe = new ManualCpe(acs.url)
    const ended = nextEvent(acs.bench, 'session.ended')
    await cpe.post(informXml({ serial: 'ODD1', events: ['0 BOOTSTRAP'] }))
    let reply = await cpe.post(null)
    const asked: string[] = []
    while (reply.status === 200 && reply.envelope?.body?.method === 'GetParameterValues') {
      asked.push(...reply.envelope.body.parameterNames)
      reply = await cpe.post(
        { method: 'Fault', faultCode: 9005, faultString: 'Invalid parameter name' },
        reply.envelope.header.id,
      )
    }
    cpe.close()
    expect(asked).toEqual(['InternetGatewayDevice.DeviceInfo.', 'InternetGatewayDevice.ManagementServer.'])
    expect(reply.status).toBe(204)
    expect(await ended).toMatchObject({ reason: 'completed', rpcs: 2 })
    expect(acs.bench.store.events.query({ serial: 'ODD1', kinds: ['fault'] })).toHaveLength(2)
  })

  it('asks once when a CPE gives up on its bootstrap session and informs BOOTSTRAP again', async () => {
    acs = await startAcs({ cwmp: { discoverOnBootstrap: true } })
    const first = new ManualCpe(acs.url)
    await first.post(informXml({ serial: 'AGAIN', events: ['0 BOOTSTRAP', '1 BOOT'] }))
    const unanswered = await first.post(null)
    expect(unanswered.envelope?.body).toMatchObject({ method: 'GetParameterValues' })
    // The CPE never answers (it crashed, or its own timer fired) and starts over.
    first.close()
    const cpe = new ManualCpe(acs.url)
    const ended = nextEvent(acs.bench, 'session.ended', (e) => e.reason === 'completed')
    await cpe.post(informXml({ serial: 'AGAIN', events: ['0 BOOTSTRAP', '1 BOOT'] }))
    let reply = await cpe.post(null)
    const asked: string[] = []
    while (reply.status === 200 && reply.envelope?.body?.method === 'GetParameterValues') {
      asked.push(...reply.envelope.body.parameterNames)
      reply = await cpe.post({ method: 'GetParameterValuesResponse', parameterList: [] }, reply.envelope.header.id)
    }
    cpe.close()
    expect(asked).toEqual(['InternetGatewayDevice.DeviceInfo.', 'InternetGatewayDevice.ManagementServer.'])
    expect(await ended).toMatchObject({ serial: 'AGAIN', rpcs: 2 })
  })
})
