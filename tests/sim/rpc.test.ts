import { describe, expect, it } from 'vitest'
import {
  CwmpFaultError,
  downloadRequest,
  type TypedAcsRequest,
  type CwmpFault,
  type ParameterValueStruct,
} from '../../main/core/cwmp'
import { DataModel, loadModel } from '../../main/core/sim'
import { applyConfigFile, buildConfigFile } from '../../main/core/sim/config-file'
import { placeholders } from '../../main/core/sim/identity'
import { answer, CPE_METHODS } from '../../main/core/sim/rpc'

const IGD = 'InternetGatewayDevice.'
const MS = `${IGD}ManagementServer.`
const WAN = `${IGD}WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.`

const tr098 = () => new DataModel(loadModel('tr098'), placeholders('SIM000001', 1))
const tr181 = () => new DataModel(loadModel('tr181'), placeholders('SIM000001', 1))

function ok(model: DataModel, req: TypedAcsRequest) {
  return answer(req, { model, queuedTransfers: 0 })
}

function faultOf(model: DataModel, req: TypedAcsRequest, queuedTransfers = 0): CwmpFault {
  try {
    answer(req, { model, queuedTransfers })
  } catch (error) {
    expect(error).toBeInstanceOf(CwmpFaultError)
    return (error as CwmpFaultError).fault
  }
  throw new Error(`${req.method} did not fault`)
}

const spv = (parameterList: ParameterValueStruct[], parameterKey = 'key-1'): TypedAcsRequest => ({
  method: 'SetParameterValues',
  parameterList,
  parameterKey,
})

describe('simulated CPE RPCs against the real data models', () => {
  it('GetRPCMethods lists every RPC the CPE answers', () => {
    const r = ok(tr098(), { method: 'GetRPCMethods' }).response
    expect(r).toEqual({ method: 'GetRPCMethodsResponse', methodList: CPE_METHODS })
  })

  it('GetParameterNames follows the NextLevel rules', () => {
    const m = tr098()
    const names = (path: string, nextLevel: boolean) => {
      const r = ok(m, { method: 'GetParameterNames', parameterPath: path, nextLevel }).response
      return r.method === 'GetParameterNamesResponse' ? r.parameterList : []
    }
    expect(names('', true)).toEqual([{ name: IGD, writable: false }])
    expect(names('', false).length).toBe(m.size)
    const info = names(`${IGD}DeviceInfo.`, true)
    expect(info).toContainEqual({ name: `${IGD}DeviceInfo.ProvisioningCode`, writable: true })
    expect(info).toContainEqual({ name: `${IGD}DeviceInfo.X_HUAWEI_PortalManagement.`, writable: false })
    expect(info.some((p) => p.name === `${IGD}DeviceInfo.` || p.name.includes('PortalManagement.Enable'))).toBe(false)
    const all = names(`${IGD}DeviceInfo.`, false)
    expect(all[0]).toEqual({ name: `${IGD}DeviceInfo.`, writable: false })
    expect(all.map((p) => p.name)).toContain(`${IGD}DeviceInfo.X_HUAWEI_PortalManagement.Enable`)
    expect(all.every((p) => p.name.startsWith(`${IGD}DeviceInfo.`))).toBe(true)
    expect(names(`${MS}URL`, false)).toEqual([{ name: `${MS}URL`, writable: true }])
    // Writable tables report writable (AddObject allowed).
    expect(names(WAN, true)).toContainEqual({ name: `${WAN}PortMapping.`, writable: true })

    expect(faultOf(m, { method: 'GetParameterNames', parameterPath: `${MS}URL`, nextLevel: true }).faultCode).toBe(9003)
    expect(faultOf(m, { method: 'GetParameterNames', parameterPath: `${IGD}Nope.`, nextLevel: false }).faultCode).toBe(
      9005,
    )
    const noDot = faultOf(m, { method: 'GetParameterNames', parameterPath: `${IGD}DeviceInfo`, nextLevel: true })
    expect(noDot).toMatchObject({ faultCode: 9005 })
    expect(noDot.faultString).toMatch(/write "InternetGatewayDevice\.DeviceInfo\."/)
  })

  it('GetParameterValues expands partial paths and faults 9005 on unknown names', () => {
    const m = tr098()
    const r = ok(m, { method: 'GetParameterValues', parameterNames: [`${MS}`, `${IGD}DeviceInfo.UpTime`] }).response
    if (r.method !== 'GetParameterValuesResponse') throw new Error(r.method)
    expect(r.parameterList.every((p) => !p.name.endsWith('.'))).toBe(true)
    expect(r.parameterList).toContainEqual({
      name: `${MS}PeriodicInformInterval`,
      value: '300',
      type: 'xsd:unsignedInt',
    })
    expect(r.parameterList.at(-1)!.name).toBe(`${IGD}DeviceInfo.UpTime`)
    expect(r.parameterList.at(-1)!.value).toMatch(/^\d+$/)
    for (const bad of [`${IGD}NoSuch.Param`, `${IGD}DeviceInfo`, `${MS}URL.`])
      expect(faultOf(m, { method: 'GetParameterValues', parameterNames: [`${MS}URL`, bad] }).faultCode, bad).toBe(9005)
  })

  it('SetParameterValues applies writable values, canonicalises them and updates ParameterKey', () => {
    const m = tr098()
    const out = ok(
      m,
      spv([
        { name: `${MS}PeriodicInformInterval`, value: '0600', type: 'xsd:unsignedInt' },
        { name: `${MS}PeriodicInformEnable`, value: '0', type: 'xsd:boolean' },
        { name: `${IGD}DeviceInfo.ProvisioningCode`, value: '  spaced <&> ', type: 'xsd:string' },
        { name: `${IGD}LANDevice.1.WLANConfiguration.1.Channel`, value: '11', type: 'xsd:string' },
      ]),
    )
    expect(out.response).toEqual({ method: 'SetParameterValuesResponse', status: 0 })
    expect(m.get(`${MS}PeriodicInformInterval`)).toBe('600')
    expect(m.get(`${MS}PeriodicInformEnable`)).toBe('false')
    expect(m.get(`${IGD}DeviceInfo.ProvisioningCode`)).toBe('  spaced <&> ')
    expect(m.get(`${IGD}LANDevice.1.WLANConfiguration.1.Channel`)).toBe('11')
    expect(m.get(`${MS}ParameterKey`)).toBe('key-1')
    expect(out.changed).toContain(`${MS}PeriodicInformInterval`)
  })

  it('SetParameterValues is atomic and reports a SetParameterValuesFault per bad parameter', () => {
    const m = tr098()
    const f = faultOf(
      m,
      spv([
        { name: `${IGD}DeviceInfo.ProvisioningCode`, value: 'would-apply', type: 'xsd:string' },
        { name: `${IGD}DeviceInfo.UpTime`, value: '5', type: 'xsd:unsignedInt' },
        { name: `${IGD}No.Such`, value: '1', type: 'xsd:string' },
        { name: `${MS}PeriodicInformInterval`, value: '300', type: 'xsd:int' },
        { name: `${MS}PeriodicInformEnable`, value: 'yes', type: 'xsd:boolean' },
        { name: `${IGD}DeviceInfo.X_HUAWEI_ServiceManage.TelnetPort`, value: '2147483648', type: 'xsd:int' },
        { name: `${IGD}LANDevice.1.WLANConfiguration.1.X_HUAWEI_PowerValue`, value: '-1', type: 'xsd:unsignedInt' },
        { name: `${MS}PeriodicInformInterval`.replace('Interval', 'Time'), value: 'x', type: 'xsd:string' },
        { name: `${IGD}LANDevice.`, value: '', type: 'xsd:string' },
      ]),
    )
    expect(f.faultCode).toBe(9003)
    expect(f.setParameterValuesFaults!.map((x) => [x.parameterName.replace(IGD, ''), x.faultCode])).toEqual([
      ['DeviceInfo.UpTime', 9008],
      ['No.Such', 9005],
      ['ManagementServer.PeriodicInformInterval', 9006],
      ['ManagementServer.PeriodicInformEnable', 9007],
      ['DeviceInfo.X_HUAWEI_ServiceManage.TelnetPort', 9007],
      ['LANDevice.1.WLANConfiguration.1.X_HUAWEI_PowerValue', 9007],
      ['ManagementServer.PeriodicInformTime', 9005],
      ['LANDevice.', 9005],
    ])
    expect(m.get(`${IGD}DeviceInfo.ProvisioningCode`)).toBe('')
    expect(m.get(`${MS}ParameterKey`)).toBe('')
  })

  it('SetParameterValues checks dateTime, constraints, duplicates and the ACS URL', () => {
    const m = tr181()
    const set =
      (name: string, value: string, type = 'xsd:string') =>
      () =>
        ok(m, spv([{ name, value, type }]))
    const code = (name: string, value: string, type = 'xsd:string') =>
      faultOf(m, spv([{ name, value, type }])).setParameterValuesFaults?.[0]?.faultCode
    set('Device.ManagementServer.PeriodicInformTime', '2024-02-29T23:59:59+01:00', 'xsd:dateTime')()
    expect(code('Device.ManagementServer.PeriodicInformTime', '2024-13-01T00:00:00Z', 'xsd:dateTime')).toBe(9007)
    expect(code('Device.ManagementServer.PeriodicInformTime', 'yesterday')).toBe(9007)
    expect(code('Device.ManagementServer.PeriodicInformInterval', '0')).toBe(9007)
    expect(code('Device.WiFi.Radio.1.OperatingChannelBandwidth', '30MHz')).toBe(9007)
    expect(code('Device.WiFi.SSID.1.SSID', 'x'.repeat(33))).toBe(9007)
    expect(code('Device.ManagementServer.URL', 'not a url')).toBe(9007)
    expect(code('Device.WiFi.AccessPoint.1.Security.PreSharedKey', 'zz')).toBe(9007)
    set('Device.WiFi.Radio.1.OperatingChannelBandwidth', '40MHz')()
    expect(m.get('Device.WiFi.Radio.1.OperatingChannelBandwidth')).toBe('40MHz')
    const dup = faultOf(
      m,
      spv([
        { name: 'Device.WiFi.SSID.1.SSID', value: 'a', type: 'xsd:string' },
        { name: 'Device.WiFi.SSID.1.SSID', value: 'b', type: 'xsd:string' },
      ]),
    )
    expect(dup.faultCode).toBe(9003)
    expect(dup.faultString).toMatch(/more than once/)
  })

  it('Get/SetParameterAttributes keep attributes per parameter, partial paths included', () => {
    const m = tr098()
    ok(m, {
      method: 'SetParameterAttributes',
      parameterList: [
        { name: `${MS}`, notificationChange: true, notification: 1, accessListChange: false, accessList: [] },
        {
          name: `${MS}URL`,
          notificationChange: true,
          notification: 2,
          accessListChange: true,
          accessList: ['Subscriber'],
        },
      ],
    })
    const r = ok(m, { method: 'GetParameterAttributes', parameterNames: [`${MS}URL`, `${MS}Username`] }).response
    expect(r).toEqual({
      method: 'GetParameterAttributesResponse',
      parameterList: [
        { name: `${MS}URL`, notification: 2, accessList: ['Subscriber'] },
        { name: `${MS}Username`, notification: 1, accessList: [] },
      ],
    })
    const nine = faultOf(m, {
      method: 'SetParameterAttributes',
      parameterList: [
        { name: `${MS}Password`, notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
        {
          name: `${IGD}DeviceInfo.UpTime`,
          notificationChange: true,
          notification: 2,
          accessListChange: false,
          accessList: [],
        },
      ],
    })
    expect(nine.faultCode).toBe(9009)
    // Atomic: the first struct of the refused request was not applied.
    expect(m.attributesOf(`${MS}Password`).notification).toBe(1)
    expect(faultOf(m, { method: 'GetParameterAttributes', parameterNames: [`${IGD}Nope`] }).faultCode).toBe(9005)
  })

  it('AddObject creates numbered instances from the template; DeleteObject removes them', () => {
    const m = tr181()
    const table = ok(m, {
      method: 'GetParameterNames',
      parameterPath: 'Device.NAT.PortMapping.',
      nextLevel: true,
    }).response
    expect(table).toEqual({
      method: 'GetParameterNamesResponse',
      parameterList: [{ name: 'Device.NAT.PortMapping.1.', writable: true }],
    })
    const add = ok(m, { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'add-1' }).response
    expect(add).toEqual({ method: 'AddObjectResponse', instanceNumber: 2, status: 0 })
    expect(m.get('Device.NAT.PortMapping.2.Enable')).toBe('false')
    expect(m.entry('Device.NAT.PortMapping.2.ExternalPort')).toMatchObject({ writable: true, type: 'xsd:unsignedInt' })
    expect(m.get('Device.NAT.PortMappingNumberOfEntries')).toBe('2')
    expect(m.get('Device.ManagementServer.ParameterKey')).toBe('add-1')
    // The new instance sits with its siblings, before the next object.
    const names = [...m.under('Device.NAT.')].map((e) => e.name)
    expect(names.indexOf('Device.NAT.PortMapping.2.')).toBeGreaterThan(
      names.indexOf('Device.NAT.PortMapping.1.Description'),
    )
    ok(m, { method: 'DeleteObject', objectName: 'Device.NAT.PortMapping.2.', parameterKey: 'del-1' })
    expect(m.entry('Device.NAT.PortMapping.2.Enable')).toBeUndefined()
    expect(m.get('Device.NAT.PortMappingNumberOfEntries')).toBe('1')
    // Instance numbers are not reused.
    expect(
      ok(m, { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: '' }).response,
    ).toMatchObject({
      instanceNumber: 3,
    })
    // Nested tables use the nested template.
    const nested = ok(m, { method: 'AddObject', objectName: 'Device.IP.Interface.2.IPv4Address.', parameterKey: '' })
    expect(nested.response).toMatchObject({ instanceNumber: 2 })
    expect(m.get('Device.IP.Interface.2.IPv4Address.2.SubnetMask')).toBe('')

    const del = (objectName: string) => faultOf(m, { method: 'DeleteObject', objectName, parameterKey: '' }).faultCode
    expect(del('Device.NAT.PortMapping.9.')).toBe(9005)
    expect(del('Device.NAT.PortMapping.1')).toBe(9005)
    expect(del('Device.Hosts.Host.1.')).toBe(9001)
    const addF = (objectName: string) => faultOf(m, { method: 'AddObject', objectName, parameterKey: '' }).faultCode
    expect(addF('Device.Hosts.Host.')).toBe(9001)
    expect(addF('Device.DeviceInfo.')).toBe(9005)
    expect(addF('Device.Nope.')).toBe(9005)
    expect(addF('Device.NAT.PortMapping')).toBe(9005)
  })

  it('AddObject on the TR-098 CSV model uses its templates, or the first instance when there is none', () => {
    const m = tr098()
    const pm = ok(m, { method: 'AddObject', objectName: `${WAN}PortMapping.`, parameterKey: '' }).response
    expect(pm).toMatchObject({ instanceNumber: 1 })
    expect(m.get(`${WAN}PortMapping.1.PortMappingProtocol`)).toBe('TCP')
    expect(m.get(`${WAN}PortMappingNumberOfEntries`)).toBe('1')
    const pool = `${IGD}LANDevice.1.LANHostConfigManagement.DHCPConditionalServingPool.`
    expect(ok(m, { method: 'AddObject', objectName: pool, parameterKey: '' }).response).toMatchObject({
      instanceNumber: 5,
    })
    expect(m.get(`${pool}5.VendorClassID`)).toBe('')
    // A plain object the CSV marks writable is still not a table.
    expect(
      faultOf(m, { method: 'AddObject', objectName: `${IGD}X_HUAWEI_FireWall.`, parameterKey: '' }).faultCode,
    ).toBe(9005)
  })

  it('Reboot, FactoryReset, ScheduleInform, Download and Upload answer at once and defer the work', () => {
    const m = tr098()
    expect(ok(m, { method: 'Reboot', commandKey: 'r1' }).actions).toEqual([{ kind: 'reboot', commandKey: 'r1' }])
    expect(ok(m, { method: 'FactoryReset' }).actions).toEqual([{ kind: 'factory-reset' }])
    expect(ok(m, { method: 'ScheduleInform', delaySeconds: 5, commandKey: 's' }).actions).toEqual([
      { kind: 'schedule-inform', delaySeconds: 5, commandKey: 's' },
    ])
    expect(faultOf(m, { method: 'ScheduleInform', delaySeconds: 0, commandKey: '' }).faultCode).toBe(9003)
    const dl = downloadRequest({
      commandKey: 'd',
      fileType: '1 Firmware Upgrade Image',
      url: 'http://127.0.0.1:1/fw.bin',
    })
    const r = ok(m, dl)
    expect(r.response).toEqual({
      method: 'DownloadResponse',
      status: 1,
      startTime: '0001-01-01T00:00:00Z',
      completeTime: '0001-01-01T00:00:00Z',
    })
    expect(r.actions[0]!.kind).toBe('download')
    expect(faultOf(m, { ...dl, url: 'ftp://h/fw.bin' }).faultCode).toBe(9013)
    expect(faultOf(m, { ...dl, fileType: '9 Cheese' }).faultCode).toBe(9003)
    expect(faultOf(m, dl, 16).faultCode).toBe(9004)
    const up = {
      method: 'Upload' as const,
      commandKey: 'u',
      fileType: '1 Vendor Configuration File',
      url: 'http://h/u',
      username: '',
      password: '',
      delaySeconds: 0,
    }
    expect(ok(m, up).response).toMatchObject({ method: 'UploadResponse', status: 1 })
    expect(faultOf(m, { ...up, fileType: '1 Firmware Upgrade Image' }).faultCode).toBe(9003)
  })

  it('the uploaded configuration file restores values and instances, all or nothing', () => {
    const m = tr181()
    ok(m, spv([{ name: 'Device.WiFi.SSID.1.SSID', value: 'Saved', type: 'xsd:string' }]))
    ok(m, { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: '' })
    ok(m, spv([{ name: 'Device.NAT.PortMapping.2.ExternalPort', value: '2222', type: 'xsd:unsignedInt' }]))
    const file = buildConfigFile(m, 'SIM000001')

    const fresh = tr181()
    applyConfigFile(fresh, file)
    expect(fresh.get('Device.WiFi.SSID.1.SSID')).toBe('Saved')
    expect(fresh.get('Device.NAT.PortMapping.2.ExternalPort')).toBe('2222')
    expect(fresh.get('Device.NAT.PortMappingNumberOfEntries')).toBe('2')

    const broken = JSON.parse(file.toString()) as { parameters: Record<string, string> }
    broken.parameters['Device.WiFi.SSID.1.SSID'] = 'Changed'
    broken.parameters['Device.ManagementServer.PeriodicInformInterval'] = 'soon'
    const other = tr181()
    expect(() => applyConfigFile(other, Buffer.from(JSON.stringify(broken)))).toThrow(/PeriodicInformInterval/)
    expect(other.get('Device.WiFi.SSID.1.SSID')).toBe('Bench-SIM000001')
    expect(other.entry('Device.NAT.PortMapping.2.')).toBeUndefined()
    expect(() => applyConfigFile(other, Buffer.from('garbage'))).toThrow(/not a configuration file/)
  })
})
