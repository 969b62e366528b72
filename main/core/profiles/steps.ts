import { ConnectionRequestError, RpcTimeoutError, type RpcExecutor, type RpcOptions } from '../acs'
import { CwmpFaultError } from '../cwmp/faults'
import type { ParameterValueStruct } from '../cwmp/types'
import { errorMessage } from '../errors'
import type { BenchEventMap, BenchEvents } from '../events'
import type { FileService } from '../files'
import type { ScriptService } from '../scripts'
import type { Store } from '../store'
import type { ProfileStore } from './store'
import type { FailureKind, ProfileStep, StepKind, StepResult, StepValue } from './types'

/** How long a firmware or configuration step waits for the CPE's TransferComplete, ms. */
export const TRANSFER_WAIT_MS = 10 * 60_000

export interface StepDeps {
  store: Store
  events: BenchEvents
  acs: RpcExecutor
  files: FileService
  scripts: ScriptService
  profiles: ProfileStore
  transferWaitMs: number
}

export interface StepContext {
  serial: string
  runId: string
  index: number
  signal: AbortSignal
}

/** A step's outcome before timing: applied or held, with what was done or found. */
interface Done {
  outcome: 'applied' | 'held'
  detail: string
}

/** A step that failed, and why (TR-069's three ways: a fault, no answer, no session). */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly failure: FailureKind,
    readonly faultCode?: number,
  ) {
    super(message)
  }
}

export function stepKind(step: ProfileStep): StepKind {
  if ('addObject' in step) return 'addObject'
  if ('set' in step) return 'set'
  if ('deleteObject' in step) return 'deleteObject'
  if ('firmware' in step) return 'firmware'
  if ('config' in step) return 'config'
  return 'script'
}

export function stepSummary(step: ProfileStep): string {
  if ('addObject' in step) return `add ${step.addObject}${step.match ? ` where ${describe(step.match)}` : ''}`
  if ('set' in step) return `set ${describe(step.set)}`
  if ('deleteObject' in step) return `delete ${step.deleteObject}${step.match ? ` where ${describe(step.match)}` : ''}`
  if ('firmware' in step) return `firmware ${step.firmware}`
  if ('config' in step) return `configuration ${step.config}`
  return `script ${step.script}`
}

function describe(values: Record<string, StepValue>): string {
  const names = Object.keys(values)
  return names.length === 1 ? `${names[0]} = ${String(values[names[0]!])}` : `${names.length} parameters`
}

/** Runs one step; never throws (a failure is its outcome). */
export async function runStep(d: StepDeps, ctx: StepContext, step: ProfileStep): Promise<StepResult> {
  const started = Date.now()
  const base = { index: ctx.index, kind: stepKind(step), summary: stepSummary(step) }
  try {
    const done = await execute(d, ctx, step)
    return { ...base, ...done, durationMs: Date.now() - started }
  } catch (error) {
    const f = classify(error)
    return {
      ...base,
      outcome: 'failed',
      detail: f.message,
      failure: f.failure,
      ...(f.faultCode !== undefined ? { faultCode: f.faultCode } : {}),
      durationMs: Date.now() - started,
    }
  }
}

function classify(error: unknown): StepFailure {
  if (error instanceof StepFailure) return error
  if (error instanceof CwmpFaultError) return new StepFailure(error.message, 'fault', error.code)
  if (error instanceof RpcTimeoutError) return new StepFailure(error.message, 'timeout')
  if (error instanceof ConnectionRequestError) return new StepFailure(error.message, 'unreachable')
  return new StepFailure(errorMessage(error), 'error')
}

function execute(d: StepDeps, ctx: StepContext, step: ProfileStep): Promise<Done> {
  if ('addObject' in step) return addObject(d, ctx, step)
  if ('set' in step) return setValues(d, ctx, step.set)
  if ('deleteObject' in step) return deleteObject(d, ctx, step)
  if ('firmware' in step) return firmware(d, ctx, step.firmware)
  if ('config' in step) return config(d, ctx, step.config)
  return script(d, ctx, step)
}

function rpcOptions(ctx: StepContext): RpcOptions {
  // The next step's RPC usually follows at once: keep the session open for it (one session, not
  // one connection request per step).
  return { source: `profile:${ctx.runId}`, signal: ctx.signal, holdSessionMs: 2_000 }
}

/** Whether a reported value is what the profile wants (xsd:boolean's "1"/"true" alike, TR-069 A.2.1). */
function sameValue(reported: string, type: string, wanted: StepValue): boolean {
  const w = String(wanted)
  if (type.endsWith('boolean')) {
    const norm = (v: string) =>
      v === '1' || v.toLowerCase() === 'true' ? 'true' : v === '0' || v.toLowerCase() === 'false' ? 'false' : v
    return norm(reported) === norm(w)
  }
  return reported === w
}

function typeOf(wanted: StepValue, reported?: string): string {
  if (reported) return reported
  if (typeof wanted === 'boolean') return 'xsd:boolean'
  if (typeof wanted === 'number' && Number.isInteger(wanted)) return wanted < 0 ? 'xsd:int' : 'xsd:unsignedInt'
  return 'xsd:string'
}

async function read(d: StepDeps, ctx: StepContext, names: string[]): Promise<ParameterValueStruct[]> {
  const r = await d.acs.execute(ctx.serial, { method: 'GetParameterValues', parameterNames: names }, rpcOptions(ctx))
  return r.parameterList
}

/** Reads the values first (GetParameterValues) and sets only those that differ. */
async function setValues(d: StepDeps, ctx: StepContext, values: Record<string, StepValue>): Promise<Done> {
  const current = new Map((await read(d, ctx, Object.keys(values))).map((p) => [p.name, p]))
  const differ: ParameterValueStruct[] = []
  for (const [name, wanted] of Object.entries(values)) {
    const now = current.get(name)
    if (now && sameValue(now.value, now.type, wanted)) continue
    differ.push({ name, value: String(wanted), type: typeOf(wanted, now?.type) })
  }
  if (differ.length === 0) return { outcome: 'held', detail: 'every value is already as wanted' }
  const r = await d.acs.execute(
    ctx.serial,
    { method: 'SetParameterValues', parameterList: differ, parameterKey: '' },
    rpcOptions(ctx),
  )
  return {
    outcome: 'applied',
    detail: `set ${differ.map((p) => p.name).join(', ')}${r.status === 1 ? ' (applied after the next reboot)' : ''}`,
  }
}

/** The instances of an object path (from a partial-path GetParameterValues) with their values. */
async function instances(d: StepDeps, ctx: StepContext, path: string): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>()
  for (const p of await read(d, ctx, [path])) {
    const rest = p.name.slice(path.length)
    const dot = rest.indexOf('.')
    if (dot <= 0 || !/^\d+$/.test(rest.slice(0, dot))) continue
    const n = rest.slice(0, dot)
    if (!out.has(n)) out.set(n, new Map())
    out.get(n)!.set(rest.slice(dot + 1), p.value)
  }
  return out
}

function matches(values: Map<string, string>, match: Record<string, StepValue> | undefined): boolean {
  if (!match) return true
  return Object.entries(match).every(([k, v]) => {
    const have = values.get(k)
    return have !== undefined && sameValue(have, typeof v === 'boolean' ? 'xsd:boolean' : '', v)
  })
}

async function addObject(
  d: StepDeps,
  ctx: StepContext,
  step: { addObject: string; match?: Record<string, StepValue>; set?: Record<string, StepValue> },
): Promise<Done> {
  const path = step.addObject
  for (const [n, values] of await instances(d, ctx, path))
    if (matches(values, step.match)) return { outcome: 'held', detail: `${path}${n}. is there already` }
  const added = await d.acs.execute(
    ctx.serial,
    { method: 'AddObject', objectName: path, parameterKey: '' },
    rpcOptions(ctx),
  )
  const instance = `${path}${added.instanceNumber}.`
  const values = { ...step.match, ...step.set }
  if (Object.keys(values).length > 0) {
    const full = Object.fromEntries(Object.entries(values).map(([k, v]) => [`${instance}${k}`, v]))
    await setValues(d, ctx, full)
  }
  return { outcome: 'applied', detail: `added ${instance}` }
}

async function deleteObject(
  d: StepDeps,
  ctx: StepContext,
  step: { deleteObject: string; match?: Record<string, StepValue> },
): Promise<Done> {
  const path = step.deleteObject
  // A path that names one instance ("….WANIPConnection.2.") is deleted if it is there.
  const single = /\.\d+\.$/.test(path)
  const doomed: string[] = []
  if (single) {
    try {
      const values = await instances(d, ctx, path.replace(/\d+\.$/, ''))
      const n = /(\d+)\.$/.exec(path)![1]!
      if (values.has(n) && matches(values.get(n)!, step.match)) doomed.push(path)
    } catch (error) {
      // 9005: the object (or its table) is not there: nothing to delete.
      if (!(error instanceof CwmpFaultError && error.code === 9005)) throw error
    }
  } else {
    for (const [n, values] of await instances(d, ctx, path))
      if (matches(values, step.match)) doomed.push(`${path}${n}.`)
  }
  if (doomed.length === 0) return { outcome: 'held', detail: 'no such instance' }
  for (const objectName of doomed)
    await d.acs.execute(ctx.serial, { method: 'DeleteObject', objectName, parameterKey: '' }, rpcOptions(ctx))
  return { outcome: 'applied', detail: `deleted ${doomed.join(', ')}` }
}

type Completed = BenchEventMap['transfer.completed']

/** The event of an Inform after the CPE rebooted, into the image it downloaded if it took it. */
const AFTER_INSTALL = new Set(['1 BOOT'])

/**
 * Sends a library file in a Download and waits for its TransferComplete (TR-069 A.3.2.8: status 1
 * means the CPE reports the outcome later, usually after a reboot, in a new session). Resolves
 * whether the CPE had rebooted when it reported it: some CPEs report TransferComplete first and
 * reboot into the new image afterwards.
 */
async function transfer(d: StepDeps, ctx: StepContext, name: string): Promise<{ rebooted: boolean }> {
  // CommandKey is string(32) (TR-069 Annex A): the run id's random tail plus the step keeps it unique.
  const commandKey = `bench-prof-${ctx.runId.slice(-12)}-${ctx.index}`
  const offs: (() => void)[] = []
  let timer: NodeJS.Timeout | undefined
  let onAbort = () => {}
  // The events of this device's latest Inform: the session a TransferComplete arrives in.
  let lastInform: string[] = []
  offs.push(
    d.events.on('device.informed', (e) => {
      if (e.device.serial === ctx.serial) lastInform = e.events.map((x) => x.code)
    }),
  )
  const completed = new Promise<Completed | null>((resolve) => {
    onAbort = () => resolve(null)
    offs.push(
      d.events.on('transfer.completed', (e) => {
        if (e.serial === ctx.serial && e.commandKey === commandKey) resolve(e)
      }),
    )
    timer = setTimeout(() => resolve(null), d.transferWaitMs)
    ctx.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    const request = d.files.downloadRequest(ctx.serial, name, commandKey)
    const r = await d.acs.execute(ctx.serial, request, rpcOptions(ctx))
    if (r.status === 0) return { rebooted: false }
    const done = await completed
    if (!done)
      throw new StepFailure(
        `no TransferComplete from ${ctx.serial} for ${name} within ${Math.round(d.transferWaitMs / 1000)} s`,
        'timeout',
      )
    if (done.fault.code !== 0)
      throw new StepFailure(
        `the CPE could not install ${name}: fault ${done.fault.code}${done.fault.message ? ` (${done.fault.message})` : ''}`,
        'fault',
        done.fault.code,
      )
    return { rebooted: lastInform.some((code) => AFTER_INSTALL.has(code)) }
  } finally {
    for (const off of offs) off()
    clearTimeout(timer)
    ctx.signal.removeEventListener('abort', onAbort)
  }
}

/** The software version of the device's next Inform that follows a reboot, or null when none comes in time. */
function versionAfterReboot(d: StepDeps, ctx: StepContext): Promise<string | null> {
  return new Promise((resolve) => {
    const finish = (version: string | null) => {
      off()
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      resolve(version)
    }
    const onAbort = () => finish(null)
    const off = d.events.on('device.informed', (e) => {
      if (e.device.serial === ctx.serial && e.events.some((x) => AFTER_INSTALL.has(x.code)))
        finish(e.device.softwareVersion)
    })
    const timer = setTimeout(() => finish(null), d.transferWaitMs)
    ctx.signal.addEventListener('abort', onAbort, { once: true })
  })
}

async function firmware(d: StepDeps, ctx: StepContext, version: string): Promise<Done> {
  const device = d.store.devices.get(ctx.serial)
  if (!device) throw new StepFailure(`device ${ctx.serial} is not known`, 'error')
  if (device.softwareVersion === version) return { outcome: 'held', detail: `already runs ${version}` }
  const image = d.files.library.findFirmware(device.productClass, version)
  if (!image)
    throw new StepFailure(
      `the library has no firmware image of version ${version} for product class "${device.productClass}" (bench-acs files add IMAGE --version ${version})`,
      'error',
    )
  const from = device.softwareVersion
  const { rebooted } = await transfer(d, ctx, image.name)
  // The Inform of the session that carried TransferComplete reported the version now running; a
  // CPE that reported it before rebooting tells the new version in the Inform after its reboot.
  let now = d.store.devices.get(ctx.serial)?.softwareVersion ?? ''
  if (now !== version && !rebooted) now = (await versionAfterReboot(d, ctx)) ?? now
  if (now !== version)
    throw new StepFailure(
      `${image.name} was installed, but the device reports version "${now}", not ${version}`,
      'error',
    )
  return { outcome: 'applied', detail: `${from || '(unknown)'} → ${version} (${image.name})` }
}

async function config(d: StepDeps, ctx: StepContext, name: string): Promise<Done> {
  const file = d.files.library.get(name)
  if (!file) throw new StepFailure(`the library has no file "${name}"`, 'error')
  // A device cannot tell which configuration it runs: what this bench restored last is the answer.
  const mark = `config:${name}`
  if (d.profiles.mark(ctx.serial, mark) === file.sha256)
    return { outcome: 'held', detail: `${name} (sha256 ${file.sha256.slice(0, 12)}…) was restored before` }
  await transfer(d, ctx, name)
  d.profiles.setMark(ctx.serial, mark, file.sha256, Date.now())
  return { outcome: 'applied', detail: `restored ${name}` }
}

/** Lua source of ARGS, put before the script on its first line (line numbers stay as written). */
function luaArgs(args: Record<string, StepValue>): string {
  const str = (s: string) => `"${s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`
  const items = Object.entries(args).map(([k, v]) => `[${str(k)}] = ${typeof v === 'string' ? str(v) : String(v)}`)
  return `ARGS = { ${items.join(', ')} }; `
}

async function script(
  d: StepDeps,
  ctx: StepContext,
  step: { script: string; args?: Record<string, StepValue> },
): Promise<Done> {
  const found = d.scripts.getByName(step.script)
  if (!found) throw new StepFailure(`the script library has no script "${step.script}"`, 'error')
  const [run] = d.scripts.runSource({
    name: found.name,
    source: luaArgs(step.args ?? {}) + found.source,
    target: { kind: 'devices', serials: [ctx.serial] },
    by: `profile:${ctx.runId}`,
  })
  const stop = () => d.scripts.stop(run!.id)
  ctx.signal.addEventListener('abort', stop, { once: true })
  try {
    const done = await d.scripts.wait(run!.id)
    if (done.status !== 'ok')
      throw new StepFailure(
        `script ${found.name} ${done.status}: ${done.error?.message ?? 'no reason given'} (run ${done.id})`,
        done.status === 'timeout' ? 'timeout' : 'error',
      )
    if (done.result?.[0] === 'held')
      return { outcome: 'held', detail: `script ${found.name} says it holds (run ${done.id})` }
    return { outcome: 'applied', detail: `script ${found.name} ran (run ${done.id})` }
  } finally {
    ctx.signal.removeEventListener('abort', stop)
  }
}
