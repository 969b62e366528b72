import type { CpeResponse, ParameterValueStruct, SetParameterValuesFault, TypedAcsRequest } from '../cwmp'
import { CwmpFaultError, faultMeaning } from '../cwmp'
import { fault, type DataModel } from './model/data-model'
import type { ParamDef } from './model/definition'
import { checkValue, normaliseXsdType } from './model/xsd'
import { OTHER_METHODS } from './other-rpcs'

/** What the CPE does once the session that asked for it has ended (or, for transfers, in the background). */
export type DeferredAction =
  | { kind: 'reboot'; commandKey: string }
  | { kind: 'factory-reset' }
  | { kind: 'schedule-inform'; delaySeconds: number; commandKey: string }
  | { kind: 'download'; request: Extract<TypedAcsRequest, { method: 'Download' }> }
  | { kind: 'upload'; request: Extract<TypedAcsRequest, { method: 'Upload' }> }
  | { kind: 'diagnostics'; object: string }

export interface RpcOutcome {
  response: CpeResponse
  actions: DeferredAction[]
  /** Parameters whose value changed (SetParameterValues), for the CPE to react to. */
  changed: string[]
}

/** The RPCs this CPE answers, as GetRPCMethods lists them. */
export const CPE_METHODS = [
  'GetRPCMethods',
  'GetParameterNames',
  'GetParameterValues',
  'SetParameterValues',
  'GetParameterAttributes',
  'SetParameterAttributes',
  'AddObject',
  'DeleteObject',
  'Reboot',
  'FactoryReset',
  'Download',
  'Upload',
  'ScheduleInform',
  ...OTHER_METHODS,
]

const DOWNLOAD_TYPES =
  /^(1 Firmware Upgrade Image|2 Web Content|3 Vendor Configuration File|4 Tone File|5 Ringer File|6 Stored Firmware Image|X [0-9A-F]{6} .+)$/
const UPLOAD_TYPES =
  /^(1 Vendor Configuration File|2 Vendor Log File|3 Vendor Configuration File \d+|4 Vendor Log File \d+|X [0-9A-F]{6} .+)$/
/** Transfers a CPE accepts at once before answering 9004 (resources exceeded). */
export const MAX_QUEUED_TRANSFERS = 16

export interface RpcContext {
  model: DataModel
  /** Downloads and uploads accepted but not yet reported with TransferComplete. */
  queuedTransfers: number
}

/**
 * Answers one ACS request from the CPE's data model. Throws CwmpFaultError for a fault; nothing
 * is changed when it throws (SetParameterValues and SetParameterAttributes are atomic).
 */
export function answer(req: TypedAcsRequest, ctx: RpcContext): RpcOutcome {
  const { model } = ctx
  const done = (response: CpeResponse, actions: DeferredAction[] = [], changed: string[] = []): RpcOutcome => ({
    response,
    actions,
    changed,
  })
  switch (req.method) {
    case 'GetRPCMethods':
      return done({ method: 'GetRPCMethodsResponse', methodList: CPE_METHODS })
    case 'GetParameterNames':
      return done({ method: 'GetParameterNamesResponse', parameterList: model.names(req.parameterPath, req.nextLevel) })
    case 'GetParameterValues': {
      const parameterList: ParameterValueStruct[] = []
      for (const name of req.parameterNames)
        for (const e of model.expand(name))
          parameterList.push({ name: e.name, value: isHidden(e.name) ? '' : model.valueOf(e), type: e.type })
      return done({ method: 'GetParameterValuesResponse', parameterList })
    }
    case 'SetParameterValues':
      return setValues(req.parameterList, req.parameterKey, model)
    case 'GetParameterAttributes':
      return done({
        method: 'GetParameterAttributesResponse',
        parameterList: req.parameterNames.flatMap((n) =>
          model.expand(n).map((e) => ({ name: e.name, ...model.attributesOf(e.name) })),
        ),
      })
    case 'SetParameterAttributes': {
      const plan: { name: string; notification: number; accessList: string[] }[] = []
      for (const s of req.parameterList) {
        if (s.notificationChange && s.notification > 6)
          throw fault(9003, `Notification ${s.notification} for ${s.name} is not 0–6`)
        for (const e of model.expand(s.name)) {
          if (s.notificationChange && s.notification === 2 && changesConstantly(e))
            throw fault(9009, `active notification is not allowed on ${e.name}: it changes constantly`)
          const cur = model.attributesOf(e.name)
          plan.push({
            name: e.name,
            notification: s.notificationChange ? s.notification : cur.notification,
            accessList: s.accessListChange ? s.accessList : cur.accessList,
          })
        }
      }
      for (const p of plan) model.setAttributes(p.name, { notification: p.notification, accessList: p.accessList })
      return done({ method: 'SetParameterAttributesResponse' })
    }
    case 'AddObject': {
      const instanceNumber = model.addInstance(req.objectName)
      setParameterKey(model, req.parameterKey)
      return done({ method: 'AddObjectResponse', instanceNumber, status: 0 })
    }
    case 'DeleteObject':
      model.deleteInstance(req.objectName)
      setParameterKey(model, req.parameterKey)
      return done({ method: 'DeleteObjectResponse', status: 0 })
    case 'Reboot':
      return done({ method: 'RebootResponse' }, [{ kind: 'reboot', commandKey: req.commandKey }])
    case 'FactoryReset':
      return done({ method: 'FactoryResetResponse' }, [{ kind: 'factory-reset' }])
    case 'ScheduleInform':
      if (req.delaySeconds <= 0) throw fault(9003, 'ScheduleInform DelaySeconds must be greater than 0')
      return done({ method: 'ScheduleInformResponse' }, [
        { kind: 'schedule-inform', delaySeconds: req.delaySeconds, commandKey: req.commandKey },
      ])
    case 'Download':
    case 'Upload': {
      const types = req.method === 'Download' ? DOWNLOAD_TYPES : UPLOAD_TYPES
      if (!types.test(req.fileType)) throw fault(9003, `unsupported FileType "${req.fileType}" for ${req.method}`)
      if (!/^https?:\/\//i.test(req.url))
        throw fault(9013, `unsupported transfer protocol in "${req.url}": this CPE supports http and https`)
      if (ctx.queuedTransfers >= MAX_QUEUED_TRANSFERS)
        throw fault(9004, `${MAX_QUEUED_TRANSFERS} transfers are already queued`)
      const pending = '0001-01-01T00:00:00Z'
      const response: CpeResponse =
        req.method === 'Download'
          ? { method: 'DownloadResponse', status: 1, startTime: pending, completeTime: pending }
          : { method: 'UploadResponse', status: 1, startTime: pending, completeTime: pending }
      return done(response, [
        req.method === 'Download' ? { kind: 'download', request: req } : { kind: 'upload', request: req },
      ])
    }
  }
}

function setValues(list: ParameterValueStruct[], parameterKey: string, model: DataModel): RpcOutcome {
  const seen = new Set<string>()
  for (const p of list) {
    if (seen.has(p.name)) throw fault(9003, `${p.name} appears more than once in SetParameterValues`)
    seen.add(p.name)
  }
  const faults: SetParameterValuesFault[] = []
  const planned: [string, string][] = []
  const reject = (parameterName: string, faultCode: number, reason: string) =>
    faults.push({ parameterName, faultCode, faultString: `${faultMeaning(faultCode)}: ${reason}` })
  for (const p of list) {
    const e = model.entry(p.name)
    if (!e || e.object) {
      reject(p.name, 9005, e ? 'it is an object, not a parameter' : 'no such parameter')
      continue
    }
    if (!e.writable) {
      reject(p.name, 9008, 'the parameter is read-only')
      continue
    }
    const given = normaliseXsdType(p.type)
    // xsd:string is what an untyped <Value> decodes to, so it is checked by value, not by type.
    if (p.type !== 'xsd:string' && given !== e.type) {
      reject(p.name, 9006, `the parameter is ${e.type}, the value was sent as ${p.type}`)
      continue
    }
    const check = checkValue(e.type as Exclude<typeof e.type, ''>, p.value, e.constraints ?? wellKnown(e.name), e.value)
    if (!check.ok) {
      reject(p.name, 9007, check.reason)
      continue
    }
    if (e.name.endsWith('.ManagementServer.URL') && !/^https?:\/\/[^\s/]+/i.test(check.value)) {
      reject(p.name, 9007, `"${p.value}" is not an http:// or https:// URL`)
      continue
    }
    planned.push([e.name, check.value])
  }
  if (faults.length)
    throw new CwmpFaultError({ faultCode: 9003, faultString: 'Invalid arguments', setParameterValuesFaults: faults })
  const changed: string[] = []
  const actions: DeferredAction[] = []
  for (const [name, value] of planned) {
    if (model.get(name) !== value) changed.push(name)
    model.set(name, value)
    if (/(\.IPPingDiagnostics|\.Diagnostics\.IPPing)\.DiagnosticsState$/.test(name) && value === 'Requested')
      actions.push({ kind: 'diagnostics', object: name.slice(0, name.lastIndexOf('.') + 1) })
  }
  setParameterKey(model, parameterKey)
  return { response: { method: 'SetParameterValuesResponse', status: 0 }, actions, changed }
}

/** Limits TR-098/TR-181 put on a few parameters, for models (CSV) that cannot state them. */
function wellKnown(name: string) {
  if (name.endsWith('.ManagementServer.PeriodicInformInterval')) return { min: 1 }
  if (name.endsWith('.ManagementServer.URL')) return { maxLength: 256 }
  return undefined
}

/** Secrets read back as an empty string (TR-069 A.3.2.1; TR-181 "hidden" parameters). */
export function isHidden(name: string): boolean {
  return /(Password|PreSharedKey|KeyPassphrase|WEPKey)$/.test(name)
}

function changesConstantly(e: ParamDef): boolean {
  return /\.(UpTime|CurrentLocalTime)$|\.Stats\./.test(e.name)
}

/** ManagementServer.ParameterKey of every root that has one. */
export function setParameterKey(model: DataModel, key: string): void {
  for (const root of model.roots) model.set(`${root}ManagementServer.ParameterKey`, key)
}
