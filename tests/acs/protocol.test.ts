import { afterEach, describe, expect, it } from 'vitest'
import { CWMP_VERSIONS, cwmpNamespace } from '../../main/core/cwmp'
import { DeviceStatus } from '../../main/core/store'
import { informXml, ManualCpe, nextEvent, startAcs, storeHealth, type TestAcs } from './helpers'

let acs: TestAcs
const cpes: ManualCpe[] = []
const cpe = (o: ConstructorParameters<typeof ManualCpe>[1] = {}) => {
  const c = new ManualCpe(acs.url, o)
  cpes.push(c)
  return c
}

afterEach(async () => {
  for (const c of cpes.splice(0)) c.close()
  await acs?.close()
})

describe('ACS sessions', () => {
  it('answers an Inform, stores the device, its parameters and events in one go, and ends on an empty POST', async () => {
    acs = await startAcs()
    const { bench } = acs
    const informed = nextEvent(bench, 'device.informed')
    const ended = nextEvent(bench, 'session.ended')
    const c = cpe()
    const reply = await c.post(
      informXml({ serial: 'SN-A', events: ['0 BOOTSTRAP', '1 BOOT', 'M Reboot'], id: ' id <&> 7 ' }),
    )
    expect(reply.status).toBe(200)
    expect(reply.envelope?.body).toEqual({ method: 'InformResponse', maxEnvelopes: 1 })
    expect(reply.envelope?.header.id).toBe(' id <&> 7 ')
    expect(reply.headers['set-cookie']?.[0]).toMatch(/^benchacs_session=[0-9a-f]{32}; Path=\/; HttpOnly$/)
    expect(bench.acs.inSession('SN-A')).toBe(true)
    expect(bench.store.devices.get('SN-A')?.status).toBe(DeviceStatus.Online)

    const { device, events } = await informed
    expect(events.map((e) => e.code)).toEqual(['0 BOOTSTRAP', '1 BOOT', 'M Reboot'])
    expect(device).toMatchObject({
      serial: 'SN-A',
      manufacturer: 'ACME',
      oui: '00D09E',
      productClass: 'Router',
      model: 'R-100',
      softwareVersion: '1.2.3',
      hardwareVersion: 'hw1',
      connectionRequestUrl: 'http://127.0.0.1:1/cr',
      periodicInformInterval: 300,
      dataModel: 'InternetGatewayDevice',
      cwmpVersion: 'cwmp-1-0',
      ip: '127.0.0.1',
    })
    expect(bench.store.parameters.get('SN-A', 'InternetGatewayDevice.DeviceInfo.SoftwareVersion')).toMatchObject({
      value: '1.2.3',
      type: 'xsd:string',
    })
    const kinds = bench.store.events.query({ serial: 'SN-A' }).map((e) => e.kind)
    expect(kinds.filter((k) => k === 'cwmp-event')).toHaveLength(3)
    expect(kinds).toContain('inform')
    const informRows = bench.store.outbox.after(0, 1000).filter((r) => r.topic === 'inform')
    expect(informRows).toHaveLength(1)
    expect(informRows[0]!.payload).toContain('<SerialNumber>SN-A</SerialNumber>')
    expect(informRows[0]!.key).toBe('SN-A')

    const done = await c.post(null, undefined, { 'Content-Type': 'application/x-www-form-urlencoded' })
    expect(done.status).toBe(204)
    expect(done.text).toBe('')
    const end = await ended
    expect(end).toMatchObject({
      serial: 'SN-A',
      reason: 'completed',
      rpcs: 0,
      events: ['0 BOOTSTRAP', '1 BOOT', 'M Reboot'],
    })
    expect(bench.acs.inSession('SN-A')).toBe(false)
    expect(bench.store.devices.get('SN-A')?.status).toBe(DeviceStatus.Online)
    expect(storeHealth(bench).integrity).toBe('ok')
  })

  it('answers in the namespace the CPE used, for cwmp-1-0 through cwmp-1-4', async () => {
    acs = await startAcs()
    for (const version of CWMP_VERSIONS) {
      const c = cpe({ version })
      const reply = await c.post(informXml({ serial: `NS-${version}`, version, id: version }))
      expect(reply.status).toBe(200)
      expect(reply.text).toContain(`xmlns:cwmp="${cwmpNamespace(version)}"`)
      expect(reply.envelope?.version).toBe(version)
      expect(reply.envelope?.header.id).toBe(version)
      expect((await c.post(null)).status).toBe(204)
      expect(acs.bench.store.devices.get(`NS-${version}`)?.cwmpVersion).toBe(version)
    }
  })

  it('stores TR-181 (Device.) informs the same way', async () => {
    acs = await startAcs()
    const c = cpe({ version: 'cwmp-1-2' })
    await c.post(
      informXml({
        serial: 'TR181',
        version: 'cwmp-1-2',
        root: 'Device',
        params: [
          { name: 'Device.DeviceInfo.ModelName', value: 'ONT-9', type: 'xsd:string' },
          { name: 'Device.DeviceInfo.SoftwareVersion', value: '9.9', type: 'xsd:string' },
          { name: 'Device.ManagementServer.ConnectionRequestURL', value: 'http://10.9.8.7:7548/x', type: 'xsd:string' },
          { name: 'Device.ManagementServer.ConnectionRequestUsername', value: 'cruser', type: 'xsd:string' },
          { name: 'Device.ManagementServer.PeriodicInformInterval', value: '60', type: 'xsd:unsignedInt' },
        ],
      }),
    )
    expect(acs.bench.store.devices.get('TR181')).toMatchObject({
      model: 'ONT-9',
      softwareVersion: '9.9',
      dataModel: 'Device',
      connectionRequestUrl: 'http://10.9.8.7:7548/x',
      connectionRequestUsername: 'cruser',
      periodicInformInterval: 60,
      ip: '10.9.8.7',
    })
  })

  it("syncs an Inform's parameter values only when they changed (the raw Inform carries them all)", async () => {
    acs = await startAcs()
    const { bench } = acs
    const paramRows = () => bench.store.outbox.after(0, 1000).filter((r) => r.topic === 'parameters')
    const session = async (events: string[], version: string) => {
      const c = cpe()
      const params = [
        { name: 'InternetGatewayDevice.DeviceInfo.SoftwareVersion', value: version, type: 'xsd:string' },
        { name: 'InternetGatewayDevice.DeviceInfo.UpTime', value: '42', type: 'xsd:unsignedInt' },
      ]
      const ended = nextEvent(bench, 'session.ended')
      await c.post(informXml({ serial: 'SYNC1', events, params }))
      await c.post(null)
      await ended
    }
    await session(['0 BOOTSTRAP'], '1.0')
    expect(paramRows()).toHaveLength(1)
    expect(paramRows()[0]!.payload).toMatchObject({ parameters: [{ value: '1.0' }, { value: '42' }] })
    // A routine session with the same values: stored (read again now), but nothing to sync.
    await session(['2 PERIODIC'], '1.0')
    expect(paramRows()).toHaveLength(1)
    expect(bench.store.outbox.after(0, 1000).filter((r) => r.topic === 'inform')).toHaveLength(2)
    // One value changed: only that one goes.
    await session(['2 PERIODIC'], '1.1')
    expect(paramRows()).toHaveLength(2)
    expect(paramRows()[1]!.payload).toMatchObject({
      parameters: [{ name: 'InternetGatewayDevice.DeviceInfo.SoftwareVersion', value: '1.1' }],
    })
    expect((paramRows()[1]!.payload as { parameters: unknown[] }).parameters).toHaveLength(1)
  })

  it('follows a session by cookie across new connections, and by connection without a cookie', async () => {
    acs = await startAcs()
    const byCookie = cpe({ keepAlive: false })
    await byCookie.post(informXml({ serial: 'COOKIE' }))
    expect(byCookie.cookie).toBeDefined()
    expect((await byCookie.post(null)).status).toBe(204)

    const byConnection = cpe({ useCookie: false })
    await byConnection.post(informXml({ serial: 'CONN' }))
    const ended = nextEvent(acs.bench, 'session.ended', (e) => e.serial === 'CONN')
    expect((await byConnection.post(null)).status).toBe(204)
    expect((await ended).reason).toBe('completed')
  })

  it('follows a CPE that keeps neither our cookie nor its connection by its address, when allowed for it and unambiguous', async () => {
    acs = await startAcs()
    const loose = cpe({ keepAlive: false, useCookie: false })
    await loose.post(informXml({ serial: 'LOOSE' }))
    // Not allowed yet: the address alone does not say it is LOOSE; the log says what to do.
    expect((await loose.post(null)).status).toBe(400)
    const hint = acs.bench.store.events.query({ serial: 'LOOSE', kinds: ['security'] })[0]
    expect(hint?.summary).toMatch(/if LOOSE drops cookies, allow matching it by address/)
    acs.bench.acs.setDevicePolicy('LOOSE', { matchByAddress: true })
    const name = 'InternetGatewayDevice.DeviceInfo.ModelName'
    const gpv = acs.bench.acs.execute('LOOSE', { method: 'GetParameterValues', parameterNames: [name] })
    const sent = await loose.post(null)
    expect(sent.envelope?.body).toMatchObject({ method: 'GetParameterValues', parameterNames: [name] })
    const ended = nextEvent(acs.bench, 'session.ended', (e) => e.serial === 'LOOSE')
    const answer = {
      method: 'GetParameterValuesResponse' as const,
      parameterList: [{ name, value: 'R-2', type: 'xsd:string' }],
    }
    expect((await loose.post(answer, sent.envelope?.header.id)).status).toBe(204)
    await expect(gpv).resolves.toMatchObject({ parameterList: [{ name, value: 'R-2' }] })
    expect(await ended).toMatchObject({ reason: 'completed', rpcs: 1 })

    // Two sessions from one address (a NAT, a simulated fleet): the address says nothing.
    const other = cpe()
    await other.post(informXml({ serial: 'OTHER' }))
    await loose.post(informXml({ serial: 'LOOSE', events: ['2 PERIODIC'] }))
    expect((await loose.post(null)).status).toBe(400)
    expect((await other.post(null)).status).toBe(204)
  })

  it('sends queued RPCs with HoldRequests after the empty POST and resolves them with the typed answer', async () => {
    acs = await startAcs()
    const c = cpe({ version: 'cwmp-1-1' })
    await c.post(informXml({ serial: 'RPC1', version: 'cwmp-1-1' }))
    const sent = nextEvent(acs.bench, 'rpc.sent')
    const result = acs.bench.acs.execute('RPC1', {
      method: 'GetParameterValues',
      parameterNames: ['InternetGatewayDevice.LANDevice.1.Hosts.HostNumberOfEntries'],
    })
    const request = await c.post(null)
    const { rpcId } = await sent
    expect(request.status).toBe(200)
    expect(request.envelope?.version).toBe('cwmp-1-1')
    expect(request.envelope?.header).toMatchObject({ id: rpcId, holdRequests: true })
    expect(request.envelope?.body).toMatchObject({ method: 'GetParameterValues' })
    expect(acs.bench.acs.rpcs('RPC1')[0]).toMatchObject({ id: rpcId, state: 'sent', method: 'GetParameterValues' })

    const end = await c.post(
      {
        method: 'GetParameterValuesResponse',
        parameterList: [
          {
            name: 'InternetGatewayDevice.LANDevice.1.Hosts.HostNumberOfEntries',
            value: ' 0042 ',
            type: 'xsd:unsignedInt',
          },
        ],
      },
      rpcId,
    )
    expect(end.status).toBe(204)
    await expect(result).resolves.toEqual({
      method: 'GetParameterValuesResponse',
      parameterList: [
        {
          name: 'InternetGatewayDevice.LANDevice.1.Hosts.HostNumberOfEntries',
          value: ' 0042 ',
          type: 'xsd:unsignedInt',
        },
      ],
    })
    expect(
      acs.bench.store.parameters.get('RPC1', 'InternetGatewayDevice.LANDevice.1.Hosts.HostNumberOfEntries'),
    ).toMatchObject({
      value: ' 0042 ',
      type: 'xsd:unsignedInt',
    })
    expect(acs.bench.acs.rpcs('RPC1')[0]).toMatchObject({ id: rpcId, state: 'done' })
    const logged = acs.bench.store.events.query({ serial: 'RPC1', kinds: ['rpc'] })
    const answered = logged.find((e) => e.summary.startsWith('GetParameterValues answered'))!
    expect(answered.hasSoap).toBe(true)
    expect(acs.bench.store.events.soap(answered.seq)?.soapIn).toContain('GetParameterValuesResponse')
    expect(acs.bench.store.events.soap(answered.seq)?.soapOut).toContain('<cwmp:GetParameterValues>')
  })

  it('answers CPE requests (GetRPCMethods, RequestDownload, TransferComplete) and faults unknown methods with 8000', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'CPEREQ' }))
    const methods = await c.post({ method: 'GetRPCMethods' }, 'g1')
    expect(methods.envelope?.header.id).toBe('g1')
    expect(methods.envelope?.body).toMatchObject({ method: 'GetRPCMethodsResponse' })
    expect((methods.envelope?.body as { methodList: string[] }).methodList).toContain('TransferComplete')

    const requested = nextEvent(acs.bench, 'transfer.requested')
    const rd = await c.post(
      {
        method: 'RequestDownload',
        fileType: '1 Firmware Upgrade Image',
        fileTypeArg: [{ name: 'Version', value: '2' }],
      },
      'r1',
    )
    expect(rd.envelope?.body).toEqual({ method: 'RequestDownloadResponse' })
    expect(await requested).toMatchObject({ serial: 'CPEREQ', fileType: '1 Firmware Upgrade Image' })

    const kicked = await c.post(
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Header><cwmp:ID soap:mustUnderstand="1">k-9</cwmp:ID></soap:Header><soap:Body><cwmp:Kicked><Command>x</Command></cwmp:Kicked></soap:Body></soap:Envelope>`,
    )
    expect(kicked.status).toBe(500)
    expect(kicked.envelope?.header.id).toBe('k-9')
    expect(kicked.envelope?.body).toMatchObject({ method: 'Fault', faultCode: 8000 })

    const tc = nextEvent(acs.bench, 'transfer.completed')
    const done = await c.post(
      {
        method: 'TransferComplete',
        commandKey: 'fw-1',
        faultStruct: { faultCode: 9010, faultString: 'download failed' },
        startTime: '2024-01-01T00:00:00Z',
        completeTime: '2024-01-01T00:01:00Z',
      },
      't1',
    )
    expect(done.envelope?.body).toEqual({ method: 'TransferCompleteResponse' })
    expect(await tc).toMatchObject({ serial: 'CPEREQ', commandKey: 'fw-1', fault: { code: 9010 }, autonomous: false })
    const atc = await c.post(
      {
        method: 'AutonomousTransferComplete',
        announceUrl: '',
        transferUrl: 'http://files/fw.bin',
        isDownload: true,
        fileType: '1 Firmware Upgrade Image',
        fileSize: 10,
        targetFileName: '',
        faultStruct: { faultCode: 0, faultString: '' },
        startTime: '',
        completeTime: '',
      },
      'a1',
    )
    expect(atc.envelope?.body).toEqual({ method: 'AutonomousTransferCompleteResponse' })
    const du = await c.post({ method: 'DUStateChangeComplete', commandKey: 'du' }, 'd1')
    expect(du.envelope?.body).toEqual({ method: 'DUStateChangeCompleteResponse' })
    expect((await c.post(null)).status).toBe(204)
    const transfer = acs.bench.store.events.query({ serial: 'CPEREQ', kinds: ['transfer'] })
    expect(transfer.map((e) => e.summary)).toContain(
      'Autonomous download of 1 Firmware Upgrade Image from http://files/fw.bin completed',
    )
    expect(transfer.map((e) => e.summary)).toContain('Deployment unit change "du" completed')
    expect(transfer.map((e) => e.summary)).toContain('Transfer "fw-1" failed: 9010 download failed')
  })
})
