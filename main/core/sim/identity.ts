import type { CpeRequest, DeviceIdStruct, EventStruct, ParameterValueStruct } from '../cwmp'
import type { DataModel } from './model/data-model'
import type { ModelDefinition } from './model/definition'

/** Per-CPE values substituted into model defaults: {serial}, {index}, {mac}, {mac+N}, {wanip}. */
export function placeholders(serial: string, index: number): (value: string) => string {
  return (value) =>
    value.replace(/\{(serial|index|mac(?:\+(\d+))?|wanip)\}/g, (whole, key: string, offset?: string) => {
      if (key === 'serial') return serial
      if (key === 'index') return String(index)
      if (key === 'wanip') {
        const n = 100 * 2 ** 24 + 64 * 2 ** 16 + index // 100.64.0.0/10, shared address space
        return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')
      }
      // Locally administered addresses, 16 per CPE: unique in a fleet, never a real vendor's.
      const n = (index * 16 + Number(offset ?? 0)) % 2 ** 24
      const bytes = [0x02, 0xbe, 0x4c, (n >> 16) & 255, (n >> 8) & 255, n & 255]
      return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':') || whole
    })
}

/** "Device.ManagementServer." or "InternetGatewayDevice.ManagementServer.", whichever the model has. */
export function managementServer(model: DataModel): string | undefined {
  for (const root of model.roots) if (model.entry(`${root}ManagementServer.`)) return `${root}ManagementServer.`
  return undefined
}

export interface Identity {
  serial: string
  connectionRequestUrl: string
  connectionRequestUsername: string
  connectionRequestPassword: string
  acsUrl: string
  acsUsername: string
  acsPassword: string
  /** Undefined: keep the model's. 0: periodic informs off. */
  periodicInformInterval?: number
  retryMinimumWaitInterval?: number
}

/** Writes what the CPE really is into its model, so what it reports is true. */
export function applyIdentity(model: DataModel, id: Identity): void {
  for (const root of model.roots) {
    model.set(`${root}DeviceInfo.SerialNumber`, id.serial)
    const ms = `${root}ManagementServer.`
    if (!model.entry(ms)) continue
    model.set(`${ms}URL`, id.acsUrl)
    model.set(`${ms}Username`, id.acsUsername)
    model.set(`${ms}Password`, id.acsPassword)
    model.set(`${ms}ConnectionRequestURL`, id.connectionRequestUrl)
    model.set(`${ms}ConnectionRequestUsername`, id.connectionRequestUsername)
    model.set(`${ms}ConnectionRequestPassword`, id.connectionRequestPassword)
    if (id.periodicInformInterval !== undefined) {
      const on = id.periodicInformInterval > 0
      model.set(`${ms}PeriodicInformEnable`, bool(model.get(`${ms}PeriodicInformEnable`), on))
      if (on) model.set(`${ms}PeriodicInformInterval`, String(id.periodicInformInterval))
    }
    if (id.retryMinimumWaitInterval !== undefined)
      model.set(`${ms}CWMPRetryMinimumWaitInterval`, String(Math.max(1, Math.round(id.retryMinimumWaitInterval))))
  }
}

const bool = (current: string | undefined, v: boolean) =>
  current === '0' || current === '1' ? (v ? '1' : '0') : v ? 'true' : 'false'

export const isTrue = (v: string | undefined) => v === '1' || v === 'true'

export function deviceId(model: DataModel, serial: string): DeviceIdStruct {
  const d = model.def.deviceId
  const info = (name: string) => {
    for (const root of model.roots) {
      const v = model.get(`${root}DeviceInfo.${name}`)
      if (v) return v
    }
    return ''
  }
  return {
    manufacturer: d.manufacturer || info('Manufacturer'),
    oui: d.oui || info('ManufacturerOUI'),
    productClass: d.productClass || info('ProductClass') || info('ModelName'),
    serialNumber: serial,
  }
}

const FORCED = [
  'DeviceSummary',
  'RootDataModelVersion',
  'DeviceInfo.SpecVersion',
  'DeviceInfo.HardwareVersion',
  'DeviceInfo.SoftwareVersion',
  'DeviceInfo.ProvisioningCode',
  'ManagementServer.ConnectionRequestURL',
  'ManagementServer.ParameterKey',
  'ManagementServer.AliasBasedAddressing',
]

const EXTERNAL_IP = [
  /^InternetGatewayDevice\.WANDevice\.\d+\.WANConnectionDevice\.\d+\.WAN(IP|PPP)Connection\.\d+\.ExternalIPAddress$/,
  /^Device\.IP\.Interface\.\d+\.IPv4Address\.\d+\.IPAddress$/,
]

const externalIp = new WeakMap<ModelDefinition, Map<string, string | undefined>>()

/** The model's first WAN address parameter under a root (looked up once per model file). */
function externalIpParameter(def: ModelDefinition, root: string): string | undefined {
  let byRoot = externalIp.get(def)
  if (!byRoot) externalIp.set(def, (byRoot = new Map()))
  if (!byRoot.has(root))
    byRoot.set(root, def.params.find((p) => EXTERNAL_IP.some((re) => re.test(p.name)) && p.name.startsWith(root))?.name)
  return byRoot.get(root)
}

/** The Inform ParameterList: the forced-inform parameters of each root, the WAN address, the model's extras. */
export function informParameters(model: DataModel): ParameterValueStruct[] {
  const names: string[] = []
  for (const root of model.roots) {
    for (const n of FORCED) if (model.get(root + n) !== undefined) names.push(root + n)
    if (!model.def.inform.length) {
      const wan = externalIpParameter(model.def, root)
      if (wan && model.get(wan) !== undefined) names.push(wan)
    }
  }
  for (const n of model.def.inform) if (model.get(n) !== undefined && !names.includes(n)) names.push(n)
  return names.map((name) => {
    const e = model.entry(name)!
    return { name, value: model.valueOf(e), type: e.type || 'xsd:string' }
  })
}

export function buildInform(
  model: DataModel,
  serial: string,
  events: EventStruct[],
  retryCount: number,
  /** Parameters changed on the CPE with notification on (TR-069 3.2.1), listed too. */
  notified: string[] = [],
): Extract<CpeRequest, { method: 'Inform' }> {
  const parameterList = informParameters(model)
  for (const name of notified) {
    const e = model.entry(name)
    if (e && !e.object && !parameterList.some((p) => p.name === name))
      parameterList.push({ name, value: model.valueOf(e), type: e.type || 'xsd:string' })
  }
  return {
    method: 'Inform',
    deviceId: deviceId(model, serial),
    event: events,
    maxEnvelopes: 1,
    currentTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    retryCount,
    parameterList,
  }
}

/** Numbered events in order (0 BOOTSTRAP first), then "M …", then vendor "X …" events. */
export function sortEvents(events: EventStruct[]): EventStruct[] {
  const rank = (code: string) => (code.startsWith('M ') ? 100 : code.startsWith('X ') ? 200 : parseInt(code, 10))
  return events.sort((a, b) => rank(a.eventCode) - rank(b.eventCode))
}

/** The path a simulated CPE answers connection requests on: its serial (what marks it as ours). */
export function simConnectionRequestPath(serial: string): string {
  return `/${encodeURIComponent(serial)}`
}

/**
 * Whether a device is one of the bench's own simulated CPEs (`bench-acs sim`, the Simulator page):
 * its connection request URL ends in its serial as the path, which real CPEs and genieacs-sim
 * (path "/") do not use. A marker for the technician's eye, not a security boundary.
 */
export function isSimulatedCpe(serial: string, connectionRequestUrl: string): boolean {
  try {
    return new URL(connectionRequestUrl).pathname === simConnectionRequestPath(serial)
  } catch {
    return false
  }
}
