import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CwmpFaultError, downloadRequest } from '../../main/core/cwmp'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { DeviceStatus } from '../../main/core/store'
import { nextEvent, startAcs, storeHealth, type TestAcs } from './helpers'

const IGD = 'InternetGatewayDevice.'
const WAN = `${IGD}WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.`
const SN = 'SIM000001'

let acs: TestAcs | undefined
let fleet: SimFleet | undefined
let files: Server | undefined

afterEach(async () => {
  await fleet?.stop()
  fleet = undefined
  if (files) {
    files.closeAllConnections()
    await new Promise((r) => files!.close(r))
    files = undefined
  }
  await acs?.close()
  acs = undefined
})

/** The ACS plus simulated CPEs whose connection-request credentials the ACS knows. */
async function setup(count: number) {
  acs = await startAcs({ connectionRequest: { username: 'cr', password: 'cr' } })
  fleet = await startSimulator({ acsUrl: acs.url, count, periodicInformInterval: 0, retryMinimumWaitInterval: 0.2 })
  return { bench: acs.bench, fleet }
}

/** A file server for Download (GET) and Upload (PUT). */
async function fileServer(): Promise<{ url: string; uploads: Buffer[] }> {
  const uploads: Buffer[] = []
  files = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.method === 'PUT') uploads.push(Buffer.concat(chunks))
      res
        .writeHead(200, { 'Content-Type': 'application/octet-stream' })
        .end(req.method === 'GET' ? Buffer.alloc(2048, 7) : '')
    })
  })
  await new Promise<void>((r) => files!.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(files.address() as AddressInfo).port}`, uploads }
}

describe('the ACS with simulated CPEs', () => {
  it('round-trips every ACS RPC, waking the CPE with a connection request, and keeps the store in step', async () => {
    const { bench, fleet } = await setup(1)
    const cpe = fleet.cpes[0]!
    expect(bench.store.devices.get(SN)).toMatchObject({
      status: DeviceStatus.Online,
      dataModel: 'InternetGatewayDevice',
    })
    expect(bench.store.events.query({ serial: SN, kinds: ['cwmp-event'] }).map((e) => e.summary)).toEqual(
      expect.arrayContaining(['0 BOOTSTRAP', '1 BOOT']),
    )
    expect(bench.acs.inSession(SN)).toBe(false)
    const { url: fileUrl, uploads } = await fileServer()
    const acsApi = bench.acs
    const wokenBy = nextEvent(bench, 'device.informed', (e) => e.events.some((x) => x.code === '6 CONNECTION REQUEST'))

    const [methods, names, values, set, attrs, setAttrs, added, scheduled, download, upload] = await Promise.all([
      acsApi.execute(SN, { method: 'GetRPCMethods' }),
      acsApi.execute(SN, { method: 'GetParameterNames', parameterPath: `${IGD}DeviceInfo.`, nextLevel: false }),
      acsApi.execute(SN, {
        method: 'GetParameterValues',
        parameterNames: [`${IGD}DeviceInfo.`, `${WAN}ExternalIPAddress`],
      }),
      acsApi.execute(SN, {
        method: 'SetParameterValues',
        parameterList: [{ name: `${IGD}DeviceInfo.ProvisioningCode`, value: 'BENCH-1', type: 'xsd:string' }],
        parameterKey: 'k1',
      }),
      acsApi.execute(SN, { method: 'GetParameterAttributes', parameterNames: [`${IGD}DeviceInfo.ProvisioningCode`] }),
      acsApi.execute(SN, {
        method: 'SetParameterAttributes',
        parameterList: [
          {
            name: `${IGD}DeviceInfo.ProvisioningCode`,
            notificationChange: true,
            notification: 2,
            accessListChange: false,
            accessList: [],
          },
        ],
      }),
      acsApi.execute(SN, { method: 'AddObject', objectName: `${WAN}PortMapping.`, parameterKey: 'k2' }),
      acsApi.execute(SN, { method: 'ScheduleInform', delaySeconds: 3600, commandKey: 'later' }),
      acsApi.execute(
        SN,
        downloadRequest({
          commandKey: 'dl-1',
          fileType: '1 Firmware Upgrade Image',
          url: `${fileUrl}/fw.bin`,
          fileSize: 2048,
          targetFileName: 'fw.bin',
        }),
      ),
      acsApi.execute(SN, {
        method: 'Upload',
        commandKey: 'up-1',
        fileType: '2 Vendor Log File',
        url: `${fileUrl}/log.txt`,
        username: '',
        password: '',
        delaySeconds: 0,
      }),
    ])
    await wokenBy
    expect(bench.store.events.query({ serial: SN, kinds: ['connection-request'] })[0]?.summary).toMatch(
      /^Connection request accepted \(HTTP 20\d, digest/,
    )
    expect(methods.methodList).toContain('GetParameterAttributes')
    expect(names.parameterList).toContainEqual({ name: `${IGD}DeviceInfo.ProvisioningCode`, writable: true })
    expect(bench.store.parameters.get(SN, `${IGD}DeviceInfo.X_HUAWEI_PortalManagement.Enable`)).toMatchObject({
      writable: true,
    })
    expect(bench.store.parameters.get(SN, `${IGD}DeviceInfo.ProvisioningCode`)).toMatchObject({
      value: 'BENCH-1',
      writable: true,
    })
    expect(bench.store.parameters.get(SN, `${IGD}DeviceInfo.SoftwareVersion`)).toMatchObject({ writable: false })
    expect(values.parameterList.find((p) => p.name === `${IGD}DeviceInfo.SerialNumber`)?.value).toBe(SN)
    expect(set.status).toBe(0)
    expect(cpe.get(`${IGD}DeviceInfo.ProvisioningCode`)).toBe('BENCH-1')
    expect(attrs.parameterList[0]).toMatchObject({ name: `${IGD}DeviceInfo.ProvisioningCode` })
    expect(setAttrs).toEqual({ method: 'SetParameterAttributesResponse' })
    expect(added.instanceNumber).toBeGreaterThan(0)
    const instance = `${WAN}PortMapping.${added.instanceNumber}.`
    expect(bench.store.parameters.get(SN, instance)).toMatchObject({ object: true })
    expect(scheduled).toEqual({ method: 'ScheduleInformResponse' })

    // Transfers confirm later with TransferComplete, matched to the RPC by CommandKey.
    const pending = [download, upload].filter((r) => r.status === 1).length
    const completions: { method?: string; fault: { code: number } }[] = []
    await new Promise<void>((resolve) => {
      if (pending === 0) return resolve()
      const off = bench.events.on('transfer.completed', (e) => {
        completions.push(e)
        if (completions.length === pending) {
          off()
          resolve()
        }
      })
    })
    expect(completions.every((c) => c.fault.code === 0)).toBe(true)
    expect(uploads.length).toBe(1)

    const deleted = await acsApi.execute(SN, { method: 'DeleteObject', objectName: instance, parameterKey: 'k3' })
    expect(deleted.status).toBe(0)
    expect(bench.store.parameters.get(SN, instance)).toBeUndefined()

    // Faults come back typed, with the spec's codes.
    const bad = await acsApi
      .execute(SN, { method: 'GetParameterValues', parameterNames: [`${IGD}NoSuch.Thing`] })
      .catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(CwmpFaultError)
    expect((bad as CwmpFaultError).code).toBe(9005)
    const readOnly = await acsApi
      .execute(SN, {
        method: 'SetParameterValues',
        parameterList: [{ name: `${IGD}DeviceInfo.SoftwareVersion`, value: 'hacked', type: 'xsd:string' }],
        parameterKey: '',
      })
      .catch((e: unknown) => e)
    expect(readOnly).toBeInstanceOf(CwmpFaultError)
    expect((readOnly as CwmpFaultError).fault).toMatchObject({
      faultCode: 9003,
      setParameterValuesFaults: [{ parameterName: `${IGD}DeviceInfo.SoftwareVersion`, faultCode: 9008 }],
    })
    expect(bench.acs.rpcs(SN).find((r) => r.state === 'fault')?.fault?.code).toBe(9003)

    // Reboot: the CPE comes back with M Reboot and 1 BOOT.
    const rebooted = nextEvent(bench, 'device.informed', (e) => e.events.some((x) => x.code === 'M Reboot'))
    await acsApi.execute(SN, { method: 'Reboot', commandKey: 'rb-1' })
    expect((await rebooted).events).toEqual(
      expect.arrayContaining([
        { code: '1 BOOT', commandKey: '' },
        { code: 'M Reboot', commandKey: 'rb-1' },
      ]),
    )

    // FactoryReset: back to BOOTSTRAP, and what we stored about the old configuration is dropped.
    const reset = nextEvent(bench, 'device.informed', (e) => e.events.some((x) => x.code === '0 BOOTSTRAP'))
    await acsApi.execute(SN, { method: 'FactoryReset' })
    await reset
    expect(bench.store.parameters.get(SN, `${IGD}DeviceInfo.ProvisioningCode`)).toMatchObject({
      value: '',
      writable: null,
    })
    expect(bench.store.parameters.get(SN, `${IGD}DeviceInfo.X_HUAWEI_PortalManagement.Enable`)).toBeUndefined()
    expect(storeHealth(bench).integrity).toBe('ok')
  })

  it('runs the sessions of 50 CPEs at once and stores them all', async () => {
    const { bench, fleet } = await setup(50)
    expect(bench.store.devices.count()).toBe(50)
    const serials = fleet.cpes.map((c) => c.serial)
    for (const serial of serials) {
      expect(bench.store.devices.get(serial)?.status).toBe(DeviceStatus.Online)
      expect(bench.store.parameters.count(serial)).toBeGreaterThan(5)
    }
    // All 50 inform again at the same moment, and each gets an RPC in its session.
    const informed = serials.map((serial) => nextEvent(bench, 'device.informed', (e) => e.device.serial === serial))
    const sessions = Promise.all(fleet.cpes.map((c) => c.inform(['2 PERIODIC'])))
    const answers = await Promise.all(
      serials.map(async (serial, i) => {
        await informed[i]
        return bench.acs.execute(serial, {
          method: 'GetParameterValues',
          parameterNames: [`${IGD}DeviceInfo.SerialNumber`],
        })
      }),
    )
    await sessions
    expect(answers.map((a) => a.parameterList[0]?.value)).toEqual(serials)
    // Routine periodic sessions: one row each (kind session), naming its events.
    const periodic = bench.store.events.query({ kinds: ['session'], text: '2 PERIODIC', limit: 1000 })
    expect(new Set(periodic.map((e) => e.serial)).size).toBe(50)
    expect(bench.store.outbox.after(0, 100_000).filter((r) => r.topic === 'inform').length).toBe(100)
    expect(bench.acs.activeSessions()).toEqual([])
    expect(storeHealth(bench).integrity).toBe('ok')
  })
})
