import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { answerUntilEnd, informXml, ManualCpe, nextEvent, startAcs, type TestAcs } from './helpers'

let acs: TestAcs | undefined
let fleet: SimFleet | undefined
afterEach(async () => {
  await fleet?.stop()
  await acs?.close()
  fleet = undefined
  acs = undefined
})

const IGD = 'InternetGatewayDevice'

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
      // Two GetParameterNames, GetRPCMethods, and the leaves of both objects in batches of 32.
      expect(tr098Session).toMatchObject({ events: ['0 BOOTSTRAP', '1 BOOT'], reason: 'completed' })
      expect(tr098Session!.rpcs).toBeGreaterThanOrEqual(4)
      expect(tr181Session).toMatchObject({ events: ['0 BOOTSTRAP', '1 BOOT'], reason: 'completed' })
      // What the Inform alone does not carry: the model name and the periodic inform interval.
      expect(bench.store.devices.get('SIM000001')).toMatchObject({ model: 'BM632w', periodicInformInterval: 900 })
      expect(bench.store.devices.get('TR181-000001')).toMatchObject({ model: 'BR-1800', periodicInformInterval: 600 })
      expect(bench.store.parameters.children('SIM000001', `${IGD}.DeviceInfo.`).length).toBeGreaterThan(10)
      expect(bench.acs.capabilities('SIM000001').rpcMethods).toContain('GetParameterValues')
      // A later session of a known device is not a discovery.
      const again = nextEvent(bench, 'session.ended', (e) => e.serial === 'SIM000001')
      await fleet.cpes[0]!.inform(['2 PERIODIC'])
      expect(await again).toMatchObject({ rpcs: 0 })
    } finally {
      await tr181.stop()
    }
  })

  it('sends no partial path: lists each object, then reads its leaves in batches of cwmp.readBatchSize', async () => {
    acs = await startAcs({ cwmp: { discoverOnBootstrap: true, readBatchSize: 2 } })
    const cpe = new ManualCpe(acs.url)
    await cpe.post(informXml({ serial: 'GSOAP1', events: ['0 BOOTSTRAP'] }))
    const leaves: Record<string, string[]> = {
      [`${IGD}.DeviceInfo.`]: [`${IGD}.DeviceInfo.`, `${IGD}.DeviceInfo.ModelName`, `${IGD}.DeviceInfo.SerialNumber`],
      [`${IGD}.ManagementServer.`]: [
        `${IGD}.ManagementServer.ConnectionRequestUsername`,
        `${IGD}.ManagementServer.PeriodicInformInterval`,
        `${IGD}.ManagementServer.URL`,
      ],
    }
    const value: Record<string, string> = {
      [`${IGD}.DeviceInfo.ModelName`]: 'G-1',
      [`${IGD}.ManagementServer.ConnectionRequestUsername`]: 'cruser',
      [`${IGD}.ManagementServer.PeriodicInformInterval`]: '120',
    }
    const { reply, asked } = await answerUntilEnd(cpe, await cpe.post(null), {
      names: (path) => leaves[path] ?? [],
      values: (names) => ({
        method: 'GetParameterValuesResponse',
        parameterList: names.map((name) => ({ name, value: value[name] ?? 'x', type: 'xsd:string' })),
      }),
    })
    cpe.close()
    expect(reply.status).toBe(204)
    expect(asked).toEqual([
      `GPN ${IGD}.DeviceInfo.`,
      `GPN ${IGD}.ManagementServer.`,
      'GetRPCMethods',
      `GPV ${IGD}.DeviceInfo.ModelName,${IGD}.DeviceInfo.SerialNumber`,
      `GPV ${IGD}.ManagementServer.ConnectionRequestUsername,${IGD}.ManagementServer.PeriodicInformInterval`,
      `GPV ${IGD}.ManagementServer.URL`,
    ])
    expect(asked.some((a) => a.startsWith('GPV') && a.endsWith('.'))).toBe(false)
    expect(acs.bench.store.devices.get('GSOAP1')).toMatchObject({
      model: 'G-1',
      connectionRequestUsername: 'cruser',
      periodicInformInterval: 120,
    })
  })

  it('logs a CPE that lacks an object as a fault and still ends the session normally', async () => {
    acs = await startAcs({ cwmp: { discoverOnBootstrap: true } })
    const cpe = new ManualCpe(acs.url)
    const ended = nextEvent(acs.bench, 'session.ended')
    await cpe.post(informXml({ serial: 'ODD1', events: ['0 BOOTSTRAP'] }))
    let reply = await cpe.post(null)
    const asked: string[] = []
    while (reply.status === 200 && reply.envelope?.body) {
      asked.push(reply.envelope.body.method)
      reply = await cpe.post(
        { method: 'Fault', faultCode: 9005, faultString: 'Invalid parameter name' },
        reply.envelope.header.id,
      )
    }
    cpe.close()
    expect(asked).toEqual(['GetParameterNames', 'GetParameterNames', 'GetRPCMethods'])
    expect(reply.status).toBe(204)
    expect(await ended).toMatchObject({ reason: 'completed', rpcs: 3 })
    expect(acs.bench.store.events.query({ serial: 'ODD1', kinds: ['fault'] })).toHaveLength(3)
  })

  it('asks once when a CPE gives up on its bootstrap session and informs BOOTSTRAP again', async () => {
    acs = await startAcs({ cwmp: { discoverOnBootstrap: true } })
    const first = new ManualCpe(acs.url)
    await first.post(informXml({ serial: 'AGAIN', events: ['0 BOOTSTRAP', '1 BOOT'] }))
    const unanswered = await first.post(null)
    expect(unanswered.envelope?.body).toMatchObject({ method: 'GetParameterNames' })
    // The CPE never answers (it crashed, or its own timer fired) and starts over.
    first.close()
    const cpe = new ManualCpe(acs.url)
    const ended = nextEvent(acs.bench, 'session.ended', (e) => e.reason === 'completed')
    await cpe.post(informXml({ serial: 'AGAIN', events: ['0 BOOTSTRAP', '1 BOOT'] }))
    const { asked } = await answerUntilEnd(cpe, await cpe.post(null))
    cpe.close()
    expect(asked).toEqual([`GPN ${IGD}.DeviceInfo.`, `GPN ${IGD}.ManagementServer.`, 'GetRPCMethods'])
    expect(await ended).toMatchObject({ serial: 'AGAIN', rpcs: 3 })
  })
})
