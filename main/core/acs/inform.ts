import type { CwmpVersion } from '../cwmp/namespaces'
import type { CpeRequest } from '../cwmp/types'
import type { Journal } from '../journal'
import type { Store } from '../store'
import { DeviceStatus, type DevicePatch, type DeviceRecord } from '../store'
import { isRoutine, SessionGroup } from './session-log'

export type Inform = Extract<CpeRequest, { method: 'Inform' }>

export interface InformOutcome {
  device: DeviceRecord
  /** Names of the parameters written, for "parameters.updated". */
  names: string[]
  /** Subtrees dropped (a BOOTSTRAP resets what we knew). */
  removedPrefixes: string[]
  /** First Inform ever from this serial. */
  created: boolean
  /** A routine session's one event row (session-log.ts); absent for other sessions. */
  group?: SessionGroup
  /** When the Inform before this one came (null for the first). */
  previousInform: number | null
}

/**
 * What parameter values say about the device itself (model, versions, connection request,
 * periodic interval), from an Inform's ParameterList or any GetParameterValues answer. Keyed by
 * the path below the root, so TR-098 (InternetGatewayDevice.) and TR-181 (Device.) match alike.
 */
export function identityPatch(parameters: { name: string; value: string }[]): DevicePatch {
  const values = new Map<string, string>()
  let root = ''
  for (const p of parameters) {
    const dot = p.name.indexOf('.')
    if (dot <= 0) continue
    if (!root) root = p.name.slice(0, dot)
    values.set(p.name.slice(dot + 1), p.value)
  }
  const get = (path: string) => values.get(path)
  const patch: DevicePatch = {}
  if (root) patch.dataModel = root
  const model = get('DeviceInfo.ModelName')
  if (model !== undefined) patch.model = model
  const sw = get('DeviceInfo.SoftwareVersion')
  if (sw !== undefined) patch.softwareVersion = sw
  const hw = get('DeviceInfo.HardwareVersion')
  if (hw !== undefined) patch.hardwareVersion = hw
  const crUrl = get('ManagementServer.ConnectionRequestURL')
  if (crUrl !== undefined) patch.connectionRequestUrl = crUrl
  const crUser = get('ManagementServer.ConnectionRequestUsername')
  if (crUser !== undefined) patch.connectionRequestUsername = crUser
  // The password reads back empty on most CPEs (it is write-only): keep one we knew.
  const crPass = get('ManagementServer.ConnectionRequestPassword')
  if (crPass) patch.connectionRequestPassword = crPass
  const interval = Number(get('ManagementServer.PeriodicInformInterval'))
  const periodicEnabled = get('ManagementServer.PeriodicInformEnable')
  if (periodicEnabled === '0' || periodicEnabled === 'false') patch.periodicInformInterval = null
  else if (Number.isInteger(interval) && interval > 0) patch.periodicInformInterval = interval
  return patch
}

/** What an Inform tells us about the device itself, from DeviceId and its ParameterList. */
export function devicePatch(inform: Inform, version: CwmpVersion, remoteAddress: string, now: number): DevicePatch {
  const codes = inform.event.map((e) => e.eventCode)
  const identity = identityPatch(inform.parameterList)
  const patch: DevicePatch = {
    ...identity,
    oui: inform.deviceId.oui,
    productClass: inform.deviceId.productClass,
    manufacturer: inform.deviceId.manufacturer,
    cwmpVersion: version,
    ip: externalIp(inform) || hostOf(identity.connectionRequestUrl) || remoteAddress,
    lastInform: now,
    status: DeviceStatus.Online,
  }
  if (codes.includes('0 BOOTSTRAP') || codes.includes('1 BOOT')) patch.lastBoot = now
  return patch
}

function externalIp(inform: Inform): string {
  for (const p of inform.parameterList) {
    if (p.name.endsWith('.ExternalIPAddress') && p.value && p.value !== '0.0.0.0') return p.value
  }
  return ''
}

function hostOf(url: string | undefined): string {
  if (!url) return ''
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '')
  } catch {
    return ''
  }
}

/**
 * Everything an Inform changes, in one transaction: the device row, its parameters, the event
 * log (a routine periodic session's one row, else the Inform and one row per CWMP event code,
 * all tied to the session), and the raw XML in the outbox (topic "inform"), so sync relays
 * exactly what the CPE sent. Nothing is written if any part fails.
 */
export function storeInform(
  store: Store,
  journal: Journal,
  args: {
    serial: string
    inform: Inform
    version: CwmpVersion
    remoteAddress: string
    rawXml: string
    responseXml: string
    now: number
    /** Session.id of the session this Inform opens. */
    session: string
  },
): InformOutcome {
  const { serial, inform, version, remoteAddress, rawXml, responseXml, now, session } = args
  return journal.transaction((record) => {
    // One stored copy of the raw Inform: the event log shows it and the outbox sends it.
    const raw = store.bodies.put(rawXml)
    const removedPrefixes: string[] = []
    const codes = inform.event.map((e) => e.eventCode)
    // BOOTSTRAP means a factory-fresh (or re-homed) CPE: what we stored before no longer holds.
    if (codes.includes('0 BOOTSTRAP') && store.parameters.removeSubtree(serial, '') > 0) removedPrefixes.push('')
    const { device, created, previousInform } = store.devices.upsert(
      serial,
      devicePatch(inform, version, remoteAddress, now),
      now,
    )
    store.parameters.upsert(
      serial,
      inform.parameterList.map((p) => ({ name: p.name, value: p.value, type: p.type })),
      now,
      { syncChangedOnly: true },
    )
    const informFacts = {
      remoteAddress,
      cwmpVersion: version,
      deviceId: inform.deviceId,
      retryCount: inform.retryCount,
      currentTime: inform.currentTime,
      parameters: inform.parameterList.length,
    }
    let group: SessionGroup | undefined
    if (isRoutine(codes)) {
      // One row for the whole session; synced complete when the session ends (the raw Inform goes
      // to the outbox below, now). Its session id is the row's `session`; the DeviceId is the
      // device record's (synced with it), so neither is repeated here.
      const { deviceId: _deviceId, ...facts } = {
        grouped: true,
        events: inform.event.map((e) => ({ code: e.eventCode, commandKey: e.commandKey })),
        ...informFacts,
      }
      const messages = [
        { ts: now, from: 'cpe' as const, method: 'Inform', summary: codes.join(', '), soap: 'in' as const },
        { ts: now, from: 'acs' as const, method: 'InformResponse', soap: 'out' as const },
      ]
      const row = record({
        kind: 'session',
        serial,
        ts: now,
        session,
        summary: `Session from ${serial}: ${codes.join(', ')} (in progress)`,
        detail: { ...facts, open: true, messages },
        soapIn: raw,
        soapOut: responseXml,
        deferSync: true,
      })
      group = new SessionGroup(row.seq, facts, messages)
    } else {
      record({
        kind: 'inform',
        serial,
        ts: now,
        session,
        summary: `Inform from ${serial}: ${codes.join(', ') || 'no events'}`,
        detail: informFacts,
        soapIn: raw,
        soapOut: responseXml,
      })
      for (const e of inform.event) {
        record({
          kind: 'cwmp-event',
          serial,
          ts: now,
          session,
          summary: `${e.eventCode}${e.commandKey ? ` (CommandKey ${e.commandKey})` : ''}`,
          detail: { code: e.eventCode, commandKey: e.commandKey },
        })
      }
    }
    store.outbox.appendBody('inform', serial, raw, now)
    return {
      device,
      names: inform.parameterList.map((p) => p.name),
      removedPrefixes,
      created,
      group,
      previousInform,
    }
  })
}
