import { normaliseXsdType, type Constraints, type XsdType } from './xsd'

/** One node of a data model: an object (name ends with ".") or a parameter. Shared, never mutated. */
export interface ParamDef {
  readonly name: string
  readonly object: boolean
  /** Parameters: SetParameterValues allowed. Tables: AddObject allowed. Instances: DeleteObject allowed. */
  readonly writable: boolean
  /** "" for objects. */
  readonly type: XsdType | ''
  readonly value: string
  readonly constraints?: Constraints
  /** Default notification attribute (0 off, 1 passive, 2 active). */
  readonly notification?: number
}

export interface DeviceIdDefaults {
  manufacturer: string
  oui: string
  productClass: string
}

/** A loaded model file: the default tree every simulated CPE starts from (and returns to on FactoryReset). */
export interface ModelDefinition {
  /** File it came from. */
  readonly source: string
  readonly description: string
  /** From the CSV's DeviceID.* rows or the JSON's deviceId; empty strings fall back to DeviceInfo. */
  readonly deviceId: DeviceIdDefaults
  /** Every object and parameter, in tree order (an object's descendants follow it contiguously). */
  readonly params: readonly ParamDef[]
  readonly byName: ReadonlyMap<string, ParamDef>
  /**
   * Instance templates by generic table path ("Device.NAT.PortMapping.", "Device.WiFi.AccessPoint.{i}.AssociatedDevice."),
   * names relative to the new instance ("Enable", "Stats.", "Stats.BytesSent").
   */
  readonly templates: ReadonlyMap<string, readonly ParamDef[]>
  /** Extra parameters the model asks to be sent in every Inform. */
  readonly inform: readonly string[]
  /** Top-level objects: "InternetGatewayDevice.", "Device." */
  readonly roots: readonly string[]
}

/** A row as a model file states it, before normalisation. */
export interface RawRow {
  name: string
  object: boolean
  writable: boolean
  value: string
  type: string
  constraints?: Constraints
  notification?: number
  /** Where it came from, for error messages ("line 12", 'key "Device.X"'). */
  where: string
}

export class ModelError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`)
    this.name = 'ModelError'
  }
}

/** "Device.WiFi.AccessPoint.2.AssociatedDevice." → "Device.WiFi.AccessPoint.{i}.AssociatedDevice." */
export function genericPath(path: string): string {
  return path.replace(/\.\d+(?=\.)/g, '.{i}')
}

const NAME = /^[A-Za-z_][\w-]*(\.(\d+|\{i\}|[A-Za-z_][\w-]*))*\.?$/

interface TreeNode {
  def: ParamDef | undefined
  children: Map<string, TreeNode>
}

/**
 * Normalises rows into a definition: objects get their trailing dot, missing intermediate objects
 * are implied (read-only), "{i}" rows become instance templates, and the result is flattened in
 * tree order so that every object's descendants are contiguous.
 */
export function buildDefinition(
  source: string,
  rows: RawRow[],
  extra: { description?: string; deviceId?: Partial<DeviceIdDefaults>; inform?: string[] } = {},
): ModelDefinition {
  const root: TreeNode = { def: undefined, children: new Map() }
  const templateRows = new Map<string, ParamDef[]>()
  const seen = new Set<string>()

  for (const row of rows) {
    let name = row.name.trim()
    if (row.object && !name.endsWith('.')) name += '.'
    if (!row.object && name.endsWith('.'))
      throw new ModelError(source, `${row.where}: parameter "${name}" ends with "." (mark it as an object)`)
    if (!NAME.test(name)) throw new ModelError(source, `${row.where}: "${name}" is not a valid parameter path`)
    if (seen.has(name)) throw new ModelError(source, `${row.where}: "${name}" is defined twice`)
    seen.add(name)
    let type: XsdType | '' = ''
    if (!row.object) {
      const t = normaliseXsdType(row.type || 'xsd:string')
      if (!t) throw new ModelError(source, `${row.where}: "${name}" has unknown type "${row.type}"`)
      type = t
    }
    const def: ParamDef = {
      name,
      object: row.object,
      writable: row.writable,
      type,
      value: row.object ? '' : row.value,
      ...(row.constraints ? { constraints: row.constraints } : {}),
      ...(row.notification !== undefined ? { notification: row.notification } : {}),
    }
    const marker = name.lastIndexOf('.{i}.')
    if (marker >= 0) {
      const table = name.slice(0, marker + 1)
      const relative = name.slice(marker + 5)
      if (relative === '') continue // "X.{i}." itself: the instance object is implied
      const list = templateRows.get(table) ?? []
      list.push({ ...def, name: relative })
      templateRows.set(table, list)
      continue
    }
    insert(root, def, source, row.where)
  }

  const params: ParamDef[] = []
  flatten(root, '', params)
  const byName = new Map(params.map((p) => [p.name, p]))
  // A template's own sub-objects ("Stats.") may be implied by its parameters too.
  const templates = new Map<string, ParamDef[]>()
  for (const [table, list] of templateRows) templates.set(table, withImpliedObjects(list))
  const roots = [...root.children.keys()].map((k) => k + '.')
  if (roots.length === 0) throw new ModelError(source, 'the model defines no parameters')
  return {
    source,
    description: extra.description ?? '',
    deviceId: {
      manufacturer: extra.deviceId?.manufacturer ?? '',
      oui: extra.deviceId?.oui ?? '',
      productClass: extra.deviceId?.productClass ?? '',
    },
    params,
    byName,
    templates,
    inform: extra.inform ?? [],
    roots,
  }
}

function insert(root: TreeNode, def: ParamDef, source: string, where: string): void {
  const segments = def.name.replace(/\.$/, '').split('.')
  let node = root
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!
    let next = node.children.get(seg)
    if (!next) {
      next = { def: undefined, children: new Map() }
      node.children.set(seg, next)
    }
    if (i < segments.length - 1 && next.def && !next.def.object)
      throw new ModelError(source, `${where}: "${def.name}" is below "${next.def.name}", which is a parameter`)
    node = next
  }
  if (!def.object && node.children.size > 0)
    throw new ModelError(source, `${where}: "${def.name}" is a parameter but other entries are below it`)
  node.def = def
}

function flatten(node: TreeNode, prefix: string, out: ParamDef[]): void {
  for (const [seg, child] of node.children) {
    const isObject = child.children.size > 0 || child.def?.object === true
    const name = prefix + seg + (isObject ? '.' : '')
    // An implied instance of a writable table can be deleted, like one the ACS added.
    const writable = /^\d+$/.test(seg) && node.def?.writable === true
    out.push(child.def ?? { name, object: true, writable, type: '', value: '' })
    if (isObject) flatten(child, name, out)
  }
}

function withImpliedObjects(list: ParamDef[]): ParamDef[] {
  const root: TreeNode = { def: undefined, children: new Map() }
  for (const def of list) insert(root, def, '', '')
  const out: ParamDef[] = []
  flatten(root, '', out)
  return out
}

/** Parses "true"/"false"/"1"/"0" cells. */
export function parseFlag(cell: string, what: string, source: string, where: string): boolean {
  const v = cell.trim().toLowerCase()
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0' || v === '') return false
  throw new ModelError(source, `${where}: ${what} must be true or false, got "${cell}"`)
}
