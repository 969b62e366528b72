import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DataModel, loadModel, ModelError, resolveModelPath } from '../../main/core/sim'
import { placeholders } from '../../main/core/sim/identity'
import { templatesOf } from '../../main/core/sim/model/data-model'

const dir = mkdtempSync(join(tmpdir(), 'sim-models-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('model loading', () => {
  it('loads the shipped TR-098 CSV (genieacs-sim format) with its DeviceID rows and templates', () => {
    const def = loadModel('tr098')
    expect(def.roots).toEqual(['InternetGatewayDevice.'])
    expect(def.deviceId).toEqual({
      manufacturer: 'Huawei Technologies Co., Ltd.',
      oui: '202BC1',
      productClass: 'BM632w',
    })
    expect(def.byName.has('DeviceID.SerialNumber')).toBe(false)
    const uptime = def.byName.get('InternetGatewayDevice.DeviceInfo.UpTime')!
    expect(uptime).toMatchObject({ object: false, writable: false, type: 'xsd:unsignedInt' })
    expect(def.byName.get('InternetGatewayDevice.LANDevice.1.')).toMatchObject({ object: true })
    // A quoted value with commas survives.
    expect(def.byName.get('InternetGatewayDevice.DeviceSummary')!.value).toContain('Baseline:1, EthernetLAN:1')
    const pm = 'InternetGatewayDevice.WANDevice.{i}.WANConnectionDevice.{i}.WANIPConnection.{i}.PortMapping.'
    expect(def.templates.get(pm)!.map((p) => p.name)).toContain('ExternalPort')
    expect(def.params.length).toBeGreaterThan(900)
  })

  it('loads the shipped TR-181 JSON model with types, constraints and templates', () => {
    const def = loadModel('tr181')
    expect(def.roots).toEqual(['Device.'])
    expect(def.params.filter((p) => !p.object).length).toBeGreaterThan(300)
    expect(def.byName.get('Device.ManagementServer.PeriodicInformInterval')).toMatchObject({
      type: 'xsd:unsignedInt',
      writable: true,
      constraints: { min: 1 },
    })
    expect(def.byName.get('Device.WiFi.Radio.1.OperatingChannelBandwidth')!.constraints!.enum).toContain('40MHz')
    expect(def.byName.get('Device.NAT.PortMapping.')).toMatchObject({ object: true, writable: true })
    expect([...def.templates.keys()]).toContain('Device.NAT.PortMapping.')
    expect(def.inform).toEqual(['Device.IP.Interface.1.IPv4Address.1.IPAddress'])
    for (const p of def.params) if (!p.object) expect(p.type).toMatch(/^xsd:/)
  })

  it('resolves built-in names and plain paths', () => {
    expect(resolveModelPath('tr181')).toMatch(/resources[/\\]models[/\\]tr181-bench-router\.json$/)
    expect(resolveModelPath('TR098')).toMatch(/tr098-huawei-bm632w\.csv$/)
    expect(resolveModelPath('some/where.csv')).toBe(join(process.cwd(), 'some/where.csv'))
  })

  it('keeps an object’s descendants together even when the file interleaves them', () => {
    const path = file(
      'interleaved.json',
      JSON.stringify({
        format: 'bench-acs-model/1',
        parameters: { 'Device.A.X': 'x', 'Device.B.Y': 'y', 'Device.A.Z': { type: 'int', value: '1', writable: true } },
      }),
    )
    const names = loadModel(path).params.map((p) => p.name)
    expect(names).toEqual(['Device.', 'Device.A.', 'Device.A.X', 'Device.A.Z', 'Device.B.', 'Device.B.Y'])
  })

  it('derives an instance template from the first shipped instance when the model has none', () => {
    const def = loadModel('tr098')
    const t = templatesOf(def).get(
      'InternetGatewayDevice.LANDevice.{i}.LANHostConfigManagement.DHCPConditionalServingPool.',
    )!
    expect(t.map((p) => p.name)).toEqual([
      'Enable',
      'MaxAddress',
      'MinAddress',
      'VendorClassID',
      'X_HUAWEI_DeviveDhcpRelay',
    ])
    // Values are the type's defaults, not instance 1's.
    expect(t.find((p) => p.name === 'VendorClassID')!.value).toBe('')
    expect(t.find((p) => p.name === 'Enable')!.value).toBe('false')
  })

  it('fills per-CPE placeholders', () => {
    const m = new DataModel(loadModel('tr181'), placeholders('SIM000007', 7))
    expect(m.get('Device.DeviceInfo.SerialNumber')).toBe('SIM000007')
    expect(m.get('Device.WiFi.SSID.1.SSID')).toBe('Bench-SIM000007')
    expect(m.get('Device.Ethernet.Interface.1.MACAddress')).toBe('02:BE:4C:00:00:70')
    expect(m.get('Device.Ethernet.Interface.2.MACAddress')).toBe('02:BE:4C:00:00:71')
    expect(m.get('Device.IP.Interface.1.IPv4Address.1.IPAddress')).toBe('100.64.0.7')
    const other = new DataModel(loadModel('tr181'), placeholders('SIM000008', 8))
    expect(other.get('Device.Ethernet.Interface.1.MACAddress')).not.toBe(
      m.get('Device.Ethernet.Interface.1.MACAddress'),
    )
  })

  it('rejects broken model files with the file, the line and what to fix', () => {
    const cases: [string, string, RegExp][] = [
      ['no-header.csv', 'Name,Value\nA.B,1\n', /no "Parameter" column/],
      [
        'quote.csv',
        'Parameter,Object,Writable,Value,Value type\nA.B,false,false,"open,xsd:string\n',
        /line 2: unterminated/,
      ],
      [
        'type.csv',
        'Parameter,Object,Writable,Value,Value type\nA.B,false,false,1,xsd:float\n',
        /line 2: "A\.B" has unknown type/,
      ],
      [
        'flag.csv',
        'Parameter,Object,Writable,Value,Value type\nA.B,maybe,false,1,xsd:int\n',
        /line 2: Object must be true or false/,
      ],
      [
        'twice.csv',
        'Parameter,Object,Writable,Value,Value type\nA.B,false,false,1,xsd:int\nA.B,false,false,1,xsd:int\n',
        /line 3: "A\.B" is defined twice/,
      ],
      [
        'below.csv',
        'Parameter,Object,Writable,Value,Value type\nA.B,false,false,1,xsd:int\nA.B.C,false,false,1,xsd:int\n',
        /below "A\.B", which is a parameter/,
      ],
      ['format.json', '{"parameters":{}}', /"format" must be "bench-acs-model\/1"/],
      ['syntax.json', '{"format": ', /not valid JSON/],
      [
        'key.json',
        '{"format":"bench-acs-model/1","parameters":{"Device.A":{"typo":1}}}',
        /parameter "Device\.A": unknown key "typo"/,
      ],
      [
        'value.json',
        '{"format":"bench-acs-model/1","parameters":{"Device.A":{"value":5}}}',
        /"value" must be a string/,
      ],
      ['empty.json', '{"format":"bench-acs-model/1","parameters":{}}', /defines no parameters/],
    ]
    for (const [name, text, message] of cases) {
      const path = file(name, text)
      expect(() => loadModel(path), name).toThrow(ModelError)
      expect(() => loadModel(path), name).toThrow(message)
    }
    expect(() => loadModel(join(dir, 'missing.csv'))).toThrow(/no such model file \(built-in models: tr098, tr181/)
  })
})
