import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Bench } from '../../main/core/bench'
import { CwmpFaultError, downloadRequest } from '../../main/core/cwmp'
import { startSimulator, type SimFleet, type SimulatedCpe } from '../../main/core/sim'
import { nextBenchEvent, nextInform, nextSimEvent, startBench, startFileServer, type FileServer } from './helpers'

// Every RPC an ACS sends, from the real ACS's queue (bench.acs.execute, which wakes the CPE with a
// real connection request) to a simulated CPE and back.

let bench: Bench
let close: () => Promise<void>
let fleet: SimFleet
let files: FileServer
let tr098: SimulatedCpe
let tr181: SimulatedCpe
let tr181Fleet: SimFleet
const firmware = Buffer.alloc(100_000, 1)
let releaseSlow: () => void = () => {}
const slow = new Promise<Buffer>((resolve) => (releaseSlow = () => resolve(Buffer.from('web content'))))

beforeAll(async () => {
  ;({ bench, close } = await startBench())
  files = await startFileServer({ '/fw.bin': firmware, '/slow.bin': () => slow })
  fleet = await startSimulator({ acsUrl: bench.acs.address!.url, serialPrefix: 'IGD', periodicInformInterval: 0 })
  tr181Fleet = await startSimulator({
    acsUrl: bench.acs.address!.url,
    model: 'tr181',
    serialPrefix: 'DEV',
    periodicInformInterval: 0,
  })
  tr098 = fleet.cpes[0]!
  tr181 = tr181Fleet.cpes[0]!
})

afterAll(async () => {
  // Whatever happened above, the ACS saw no protocol problem from the simulator (for example a
  // TransferComplete sent while the ACS held requests).
  const problems = bench.store.events
    .query({ kinds: ['fault'] })
    .map((e) => e.summary)
    .filter((s) => !/^\w+ faulted: 9\d{3} /.test(s))
  expect(problems).toEqual([])
  await fleet.stop()
  await tr181Fleet.stop()
  await files.close()
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

describe('RPC round trips through the real ACS', () => {
  it('wakes the CPE with a connection request for queued work', async () => {
    const informed = nextInform(bench, tr098.serial, ['6 CONNECTION REQUEST'])
    const r = await bench.acs.execute(tr098.serial, { method: 'GetRPCMethods' })
    expect(r.methodList).toContain('ScheduleInform')
    expect((await informed).events.map((e) => e.code)).toEqual(['6 CONNECTION REQUEST'])
  })

  it('GetParameterNames, GetParameterValues and the stored tree', async () => {
    const names = await bench.acs.execute(tr181.serial, {
      method: 'GetParameterNames',
      parameterPath: 'Device.WiFi.',
      nextLevel: true,
    })
    expect(names.parameterList).toContainEqual({ name: 'Device.WiFi.Radio.', writable: false })
    const values = await bench.acs.execute(tr181.serial, {
      method: 'GetParameterValues',
      parameterNames: ['Device.WiFi.SSID.1.', 'Device.ManagementServer.ConnectionRequestPassword'],
    })
    expect(values.parameterList).toContainEqual({
      name: 'Device.WiFi.SSID.1.SSID',
      value: 'Bench-DEV000001',
      type: 'xsd:string',
    })
    // Secrets read back empty, as on a real CPE.
    expect(values.parameterList.at(-1)).toEqual({
      name: 'Device.ManagementServer.ConnectionRequestPassword',
      value: '',
      type: 'xsd:string',
    })
    expect(bench.store.parameters.get(tr181.serial, 'Device.WiFi.SSID.1.SSID')?.value).toBe('Bench-DEV000001')
    const f = await faultOf(
      bench.acs.execute(tr181.serial, { method: 'GetParameterValues', parameterNames: ['Device.Nope.'] }),
    )
    expect(f.faultCode).toBe(9005)
  })

  it('SetParameterValues applies, and its faults come back typed per parameter', async () => {
    const ok = await bench.acs.execute(tr181.serial, {
      method: 'SetParameterValues',
      parameterList: [{ name: 'Device.WiFi.SSID.1.SSID', value: 'Workshop', type: 'xsd:string' }],
      parameterKey: 'spv-1',
    })
    expect(ok.status).toBe(0)
    expect(tr181.get('Device.WiFi.SSID.1.SSID')).toBe('Workshop')
    expect(tr181.get('Device.ManagementServer.ParameterKey')).toBe('spv-1')
    const f = await faultOf(
      bench.acs.execute(tr181.serial, {
        method: 'SetParameterValues',
        parameterList: [
          { name: 'Device.WiFi.SSID.1.SSID', value: 'Never', type: 'xsd:string' },
          { name: 'Device.DeviceInfo.SoftwareVersion', value: '9', type: 'xsd:string' },
          { name: 'Device.WiFi.Radio.1.Channel', value: 'six', type: 'xsd:unsignedInt' },
        ],
        parameterKey: 'spv-2',
      }),
    )
    expect(f.faultCode).toBe(9003)
    expect(f.setParameterValuesFaults!.map((x) => [x.parameterName, x.faultCode])).toEqual([
      ['Device.DeviceInfo.SoftwareVersion', 9008],
      ['Device.WiFi.Radio.1.Channel', 9007],
    ])
    expect(tr181.get('Device.WiFi.SSID.1.SSID')).toBe('Workshop')
  })

  it('Get/SetParameterAttributes', async () => {
    await bench.acs.execute(tr098.serial, {
      method: 'SetParameterAttributes',
      parameterList: [
        {
          name: 'InternetGatewayDevice.ManagementServer.URL',
          notificationChange: true,
          notification: 2,
          accessListChange: false,
          accessList: [],
        },
      ],
    })
    const r = await bench.acs.execute(tr098.serial, {
      method: 'GetParameterAttributes',
      parameterNames: ['InternetGatewayDevice.ManagementServer.URL'],
    })
    expect(r.parameterList).toEqual([
      { name: 'InternetGatewayDevice.ManagementServer.URL', notification: 2, accessList: [] },
    ])
  })

  it('AddObject and DeleteObject', async () => {
    const add = await bench.acs.execute(tr181.serial, {
      method: 'AddObject',
      objectName: 'Device.NAT.PortMapping.',
      parameterKey: 'a',
    })
    expect(add).toMatchObject({ instanceNumber: 2, status: 0 })
    expect(tr181.get('Device.NAT.PortMapping.2.Protocol')).toBe('TCP')
    const del = await bench.acs.execute(tr181.serial, {
      method: 'DeleteObject',
      objectName: 'Device.NAT.PortMapping.2.',
      parameterKey: 'd',
    })
    expect(del.status).toBe(0)
    expect(tr181.get('Device.NAT.PortMapping.2.Protocol')).toBeUndefined()
    const f = await faultOf(
      bench.acs.execute(tr181.serial, {
        method: 'DeleteObject',
        objectName: 'Device.NAT.PortMapping.2.',
        parameterKey: '',
      }),
    )
    expect(f.faultCode).toBe(9005)
  })

  it('Reboot: the next session says M Reboot with its CommandKey and 1 BOOT', async () => {
    const boot = nextInform(bench, tr098.serial, ['M Reboot', '1 BOOT'])
    const rebooted = nextSimEvent(fleet, (e) => e.name === 'rebooted')
    await bench.acs.execute(tr098.serial, { method: 'Reboot', commandKey: 'reboot-42' })
    expect((await rebooted).detail).toBe('Reboot')
    expect((await boot).events).toContainEqual({ code: 'M Reboot', commandKey: 'reboot-42' })
  })

  it('ScheduleInform: 3 SCHEDULED and M ScheduleInform after the delay', async () => {
    const scheduled = nextInform(bench, tr098.serial, ['3 SCHEDULED', 'M ScheduleInform'])
    await bench.acs.execute(tr098.serial, { method: 'ScheduleInform', delaySeconds: 1, commandKey: 'later' })
    expect((await scheduled).events).toContainEqual({ code: 'M ScheduleInform', commandKey: 'later' })
  })

  it('Download fetches the file, then reports TransferComplete (and a firmware reboot)', async () => {
    const done = nextBenchEvent(
      bench,
      'transfer.completed',
      (e) => e.serial === tr098.serial && e.commandKey === 'fw-1',
    )
    const informed = nextInform(bench, tr098.serial, ['7 TRANSFER COMPLETE', 'M Download', '1 BOOT'])
    const r = await bench.acs.execute(
      tr098.serial,
      downloadRequest({
        commandKey: 'fw-1',
        fileType: '1 Firmware Upgrade Image',
        url: `${files.url}/fw.bin`,
        fileSize: firmware.length,
        targetFileName: 'fw.bin',
      }),
    )
    expect(r.status).toBe(1)
    expect((await done).fault).toEqual({ code: 0, message: '' })
    expect((await informed).events).toContainEqual({ code: 'M Download', commandKey: 'fw-1' })
  })

  it('a transfer that completes while the ACS holds requests waits for the next session', async () => {
    const order: string[] = []
    const off = fleet.on((e) => {
      if (e.serial !== tr098.serial) return
      order.push(e.name === 'session-start' ? `start ${(e.detail as string[]).join(',')}` : e.name)
      // The file arrives while the CPE is answering the first of several held RPCs.
      if (e.name === 'rpc' && e.detail === 'GetParameterValues') releaseSlow()
    })
    await bench.acs.execute(
      tr098.serial,
      downloadRequest({ commandKey: 'web-1', fileType: '2 Web Content', url: `${files.url}/slow.bin` }),
    )
    const done = nextBenchEvent(bench, 'transfer.completed', (e) => e.commandKey === 'web-1')
    const gpvs = Array.from({ length: 8 }, () =>
      bench.acs.execute(tr098.serial, { method: 'GetParameterValues', parameterNames: ['InternetGatewayDevice.'] }),
    )
    await Promise.all(gpvs)
    expect((await done).fault.code).toBe(0)
    off()
    const gpvSession = order.indexOf('start 6 CONNECTION REQUEST')
    const completed = order.indexOf('transfer-complete')
    // The transfer finished inside the session of held RPCs, and was reported in a session of its own.
    expect(completed).toBeGreaterThan(gpvSession)
    expect(order.indexOf('session-end', gpvSession)).toBeGreaterThan(completed)
    expect(order.slice(completed)).toContain('start 7 TRANSFER COMPLETE,M Download')
  })

  it('a failed Download reports its fault code in TransferComplete', async () => {
    const done = nextBenchEvent(bench, 'transfer.completed', (e) => e.commandKey === 'missing')
    await bench.acs.execute(
      tr098.serial,
      downloadRequest({ commandKey: 'missing', fileType: '1 Firmware Upgrade Image', url: `${files.url}/nope.bin` }),
    )
    const e = await done
    expect(e).toMatchObject({ method: 'Download', fault: { code: 9016 } })
    const f = await faultOf(
      bench.acs.execute(
        tr098.serial,
        downloadRequest({ commandKey: 'x', fileType: '1 Firmware Upgrade Image', url: 'tftp://h/f' }),
      ),
    )
    expect(f.faultCode).toBe(9013)
  })

  it('Upload PUTs the configuration; downloading it back restores it', async () => {
    const done = nextBenchEvent(bench, 'transfer.completed', (e) => e.commandKey === 'backup')
    await bench.acs.execute(tr181.serial, {
      method: 'Upload',
      commandKey: 'backup',
      fileType: '1 Vendor Configuration File',
      url: `${files.url}/backup/${tr181.serial}.json`,
      username: '',
      password: '',
      delaySeconds: 0,
    })
    expect((await done).fault.code).toBe(0)
    const put = files.puts.find((p) => p.path === `/backup/${tr181.serial}.json`)!
    const config = JSON.parse(put.body.toString()) as { serial: string; parameters: Record<string, string> }
    expect(config.serial).toBe(tr181.serial)
    expect(config.parameters['Device.WiFi.SSID.1.SSID']).toBe('Workshop')

    await bench.acs.execute(tr181.serial, {
      method: 'SetParameterValues',
      parameterList: [{ name: 'Device.WiFi.SSID.1.SSID', value: 'Changed since', type: 'xsd:string' }],
      parameterKey: '',
    })
    const restored = nextInform(bench, tr181.serial, ['7 TRANSFER COMPLETE', 'M Download', '1 BOOT'])
    const applied = nextBenchEvent(bench, 'transfer.completed', (e) => e.commandKey === 'restore')
    await bench.acs.execute(
      tr181.serial,
      downloadRequest({
        commandKey: 'restore',
        fileType: '3 Vendor Configuration File',
        url: `${files.url}/backup/${tr181.serial}.json`,
      }),
    )
    expect((await applied).fault.code).toBe(0)
    await restored
    expect(tr181.get('Device.WiFi.SSID.1.SSID')).toBe('Workshop')
  })

  it('IP ping diagnostics complete with 8 DIAGNOSTICS COMPLETE', async () => {
    const done = nextInform(bench, tr181.serial, ['8 DIAGNOSTICS COMPLETE'])
    await bench.acs.execute(tr181.serial, {
      method: 'SetParameterValues',
      parameterList: [
        { name: 'Device.IP.Diagnostics.IPPing.Host', value: '192.168.1.10', type: 'xsd:string' },
        { name: 'Device.IP.Diagnostics.IPPing.NumberOfRepetitions', value: '4', type: 'xsd:unsignedInt' },
        { name: 'Device.IP.Diagnostics.IPPing.DiagnosticsState', value: 'Requested', type: 'xsd:string' },
      ],
      parameterKey: 'ping',
    })
    await done
    const r = await bench.acs.execute(tr181.serial, {
      method: 'GetParameterValues',
      parameterNames: ['Device.IP.Diagnostics.IPPing.DiagnosticsState', 'Device.IP.Diagnostics.IPPing.SuccessCount'],
    })
    expect(r.parameterList.map((p) => p.value)).toEqual(['Complete', '4'])
  })

  it('FactoryReset: back to the model defaults, then 0 BOOTSTRAP', async () => {
    expect(tr181.get('Device.WiFi.SSID.1.SSID')).toBe('Workshop')
    const bootstrap = nextInform(bench, tr181.serial, ['0 BOOTSTRAP', '1 BOOT'])
    await bench.acs.execute(tr181.serial, { method: 'FactoryReset' })
    await bootstrap
    expect(tr181.get('Device.WiFi.SSID.1.SSID')).toBe('Bench-DEV000001')
    expect(tr181.get('Device.ManagementServer.ParameterKey')).toBe('')
    expect(tr181.get('Device.ManagementServer.ConnectionRequestURL')).toBe(tr181.connectionRequestUrl)
  })
})
