import { deviceTest } from '../profiles/match'
import type { DeviceMatch, ProfileDefinition } from '../profiles/types'
import { buildDefinition, loadModel, ModelError, type ModelDefinition, type RawRow } from '../sim'
import type { DeviceRecord, ParameterRecord } from '../store'
import { DryRunDeviceNotFoundError, DryRunInputError, type DryRunIdentity, type DryRunTarget } from './types'

/** Who the simulated CPE is and the data model it starts with. */
export interface ResolvedTarget {
  device: string | null
  serial: string
  identity: DryRunIdentity
  definition: ModelDefinition
  storedValues: number
}

/** What a target needs of the real bench: its devices, their stored values and tags. Read only. */
export interface TargetSource {
  device(serial: string): DeviceRecord | undefined
  parameters(serial: string): ParameterRecord[]
  tags(serial: string): string[]
}

/** The same check as the model loader's: a path a model may hold (what a CPE sent may not be one). */
const NAME = /^[A-Za-z_][\w-]*(\.(\d+|[A-Za-z_][\w-]*))*\.?$/
/** More stored parameters than this are not copied (a CPE's whole tree is far less). */
const MAX_STORED = 50_000

const GLOB = /[*?]/
const literal = (v: string | undefined) => (v !== undefined && !GLOB.test(v) ? v : undefined)

export function resolveTarget(source: TargetSource, profile: ProfileDefinition, target: DryRunTarget): ResolvedTarget {
  if (target.serial !== undefined && target.productClass !== undefined)
    throw new DryRunInputError('Give a device serial or a product class to dry-run against, not both.')
  return target.serial !== undefined ? ofDevice(source, profile, target.serial) : ofModel(profile, target.productClass)
}

/** A simulated CPE standing in for a real device: its identity, its serial, its stored values. */
function ofDevice(source: TargetSource, profile: ProfileDefinition, serial: string): ResolvedTarget {
  const device = source.device(serial)
  if (!device) throw new DryRunDeviceNotFoundError(serial)
  const misfit = misfits(profile.match, device, source.tags(serial))
  if (misfit.length > 0)
    throw new DryRunInputError(
      `Profile "${profile.name}" does not match ${serial}: ${misfit.join('; ')}. Pick a device it matches, or dry-run against the profile's match.`,
    )
  const base = loadModel(device.dataModel === 'Device' ? 'tr181' : 'tr098')
  const identity: DryRunIdentity = {
    manufacturer: device.manufacturer,
    oui: device.oui,
    productClass: device.productClass,
    model: device.model,
    softwareVersion: device.softwareVersion,
    hardwareVersion: device.hardwareVersion,
  }
  const stored = source.parameters(serial)
  const { definition, copied } = modelOf(base, identity, stored.length > MAX_STORED ? [] : stored)
  return { device: serial, serial, identity, definition, storedValues: copied }
}

/** A default simulated CPE of ours with the identity the profile's match (or the product class) names. */
function ofModel(profile: ProfileDefinition, productClass: string | undefined): ResolvedTarget {
  const m = profile.match
  const pc = productClass ?? literal(m.productClass)
  const tr181 = loadModel('tr181')
  const base = pc !== undefined && pc === tr181.deviceId.productClass ? tr181 : loadModel('tr098')
  const info = (name: string) => base.byName.get(`${base.roots[0]}DeviceInfo.${name}`)?.value ?? ''
  const exact = /^\s*=\s*([^<>=!]+)$/.exec(m.softwareVersion ?? '')?.[1]?.trim()
  const identity: DryRunIdentity = {
    manufacturer: literal(m.manufacturer) ?? (base.deviceId.manufacturer || info('Manufacturer')),
    oui: literal(m.oui) ?? (base.deviceId.oui || info('ManufacturerOUI')),
    productClass: pc ?? (base.deviceId.productClass || info('ProductClass')),
    model: literal(m.model) ?? info('ModelName'),
    softwareVersion: exact ?? literal(m.softwareVersion) ?? info('SoftwareVersion'),
    hardwareVersion: info('HardwareVersion'),
  }
  const serial = literal(m.serial) ?? 'DRYRUN000001'
  const tag = literal(m.tag)
  const misfit = misfits(m, { ...identity, serial }, tag ? [tag] : [])
  if (misfit.length > 0)
    throw new DryRunInputError(
      `Profile "${profile.name}" does not match a simulated ${identity.productClass}: ${misfit.join('; ')}. Dry-run it against a device it matches instead.`,
    )
  return { device: null, serial, identity, definition: modelOf(base, identity, []).definition, storedValues: 0 }
}

/** The fields of a match a device does not meet, said for the technician. */
function misfits(match: DeviceMatch, d: Pick<DeviceRecord, 'serial'> & DryRunIdentity, tags: string[]): string[] {
  const record = d as unknown as DeviceRecord
  const out: string[] = []
  const fields = ['manufacturer', 'oui', 'productClass', 'model', 'softwareVersion', 'serial'] as const
  for (const f of fields) {
    const want = match[f]
    if (want !== undefined && !deviceTest({ [f]: want })(record)) out.push(`${f} "${want}" ≠ "${d[f]}"`)
  }
  if (match.tag !== undefined && !deviceTest({ tag: match.tag }, () => tags)(record))
    out.push(`tag "${match.tag}" is on none of its tags${tags.length ? ` (${tags.join(', ')})` : ''}`)
  return out
}

/**
 * The model a simulated CPE starts from: ours (TR-098 or TR-181, by the device's root), with the
 * identity written in, and the values stored for the device over it (parameters we do not model
 * are added as the CPE reported them).
 */
function modelOf(
  base: ModelDefinition,
  id: DryRunIdentity,
  stored: ParameterRecord[],
): { definition: ModelDefinition; copied: number } {
  const rows = new Map<string, RawRow>()
  for (const p of base.params)
    rows.set(p.name, { ...p, where: p.name, ...(p.constraints ? { constraints: p.constraints } : {}) })
  for (const [table, defs] of base.templates)
    for (const p of defs) rows.set(`${table}{i}.${p.name}`, { ...p, name: `${table}{i}.${p.name}`, where: p.name })
  let copied = 0
  const roots = new Set(base.roots)
  for (const p of stored) {
    if (!NAME.test(p.name) || !roots.has(`${p.name.split('.')[0]}.`)) continue
    const known = rows.get(p.name)
    if (p.object) {
      if (!known) rows.set(p.name, row(p.name, true, p.writable ?? false, '', ''))
      continue
    }
    if (p.value === null || (known && known.object)) continue
    rows.set(
      p.name,
      known ? { ...known, value: p.value } : row(p.name, false, p.writable ?? true, p.value, p.type ?? 'xsd:string'),
    )
    copied++
  }
  const info: Record<string, string> = {
    Manufacturer: id.manufacturer,
    ManufacturerOUI: id.oui,
    ProductClass: id.productClass,
    ModelName: id.model,
    SoftwareVersion: id.softwareVersion,
    HardwareVersion: id.hardwareVersion,
  }
  for (const root of base.roots)
    for (const [k, v] of Object.entries(info)) {
      const name = `${root}DeviceInfo.${k}`
      if (v) rows.set(name, { ...(rows.get(name) ?? row(name, false, false, v, 'xsd:string')), value: v })
    }
  const build = (list: RawRow[]) =>
    buildDefinition(`dry run of ${id.productClass}`, list, {
      description: `A stand-in for a ${id.productClass} (profile dry run)`,
      deviceId: { manufacturer: id.manufacturer, oui: id.oui, productClass: id.productClass },
      inform: [...base.inform],
    })
  try {
    return { definition: build([...rows.values()]), copied }
  } catch (error) {
    // Stored values that make no tree (a parameter with children, a type we do not know): the
    // model's own values, with the identity, still make a truthful stand-in.
    if (!(error instanceof ModelError) || stored.length === 0) throw error
    return modelOf(base, id, [])
  }
}

function row(name: string, object: boolean, writable: boolean, value: string, type: string): RawRow {
  return { name, object, writable, value, type, where: `stored ${name}` }
}
