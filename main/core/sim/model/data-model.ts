import { CwmpFaultError, type ParameterInfoStruct } from '../../cwmp'
import { genericPath, type ModelDefinition, type ParamDef } from './definition'
import { defaultValue } from './xsd'

export interface Attributes {
  notification: number
  accessList: string[]
}

export const fault = (faultCode: number, faultString: string) => new CwmpFaultError({ faultCode, faultString })

export interface ModelSnapshot {
  entries: Map<string, ParamDef>
  attributes: Map<string, Attributes>
  last: Map<string, number>
}

const INSTANCE = /\.(\d+)\.$/

/**
 * One CPE's live data model. Entries are shared, immutable ParamDefs kept in a Map in tree order
 * (an object's descendants follow it contiguously), so copying a model for a new CPE is one Map
 * copy and a write replaces a single entry.
 */
export class DataModel {
  private entries: Map<string, ParamDef>
  private attributes = new Map<string, Attributes>()
  /** Highest instance number handed out per table: numbers are never reused, as on real CPEs. */
  private lastInstance = new Map<string, number>()
  /** Names in tree order and their positions: shared with the definition until the structure changes. */
  private order: { names: readonly string[]; at: ReadonlyMap<string, number> } | undefined
  /** For DeviceInfo.UpTime. */
  bootTime = Date.now()

  constructor(
    readonly def: ModelDefinition,
    substitute: (value: string) => string = (v) => v,
  ) {
    this.entries = new Map()
    for (const p of def.params)
      this.entries.set(p.name, p.value.includes('{') ? { ...p, value: substitute(p.value) } : p)
    this.order = sharedOrder(def)
  }

  get roots(): readonly string[] {
    return this.def.roots
  }

  get size(): number {
    return this.entries.size
  }

  entry(name: string): ParamDef | undefined {
    return this.entries.get(name)
  }

  /** A parameter's current value; undefined for objects and unknown names. */
  get(name: string): string | undefined {
    const e = this.entries.get(name)
    return e && !e.object ? this.valueOf(e) : undefined
  }

  valueOf(e: ParamDef): string {
    if (e.name.endsWith('.DeviceInfo.UpTime')) return String(Math.floor((Date.now() - this.bootTime) / 1000))
    if (e.name.endsWith('.Time.CurrentLocalTime')) return new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    return e.value
  }

  /** Changes a parameter's stored value without any check (identity, applied sets). No-op if absent. */
  set(name: string, value: string): void {
    const e = this.entries.get(name)
    if (e && !e.object && e.value !== value) this.entries.set(name, { ...e, value })
  }

  /** Every entry whose name starts with the prefix ("" for all), in tree order. */
  *under(prefix: string): Generator<ParamDef> {
    if (prefix === '') {
      yield* this.entries.values()
      return
    }
    if (!this.order) {
      const names = [...this.entries.keys()]
      this.order = { names, at: new Map(names.map((n, i) => [n, i])) }
    }
    const { names, at } = this.order
    const start = at.get(prefix)
    if (start === undefined) return
    // An object's descendants follow it contiguously, so the walk stops at the first outsider.
    for (let i = start; i < names.length && names[i]!.startsWith(prefix); i++) yield this.entries.get(names[i]!)!
  }

  /** GetParameterValues / GetParameterAttributes expansion of one name: the parameters it covers. */
  expand(path: string): ParamDef[] {
    if (path === '') return [...this.under('')].filter((e) => !e.object)
    const e = this.entries.get(path)
    if (!e) throw fault(9005, `${path} is not a parameter or object of this device`)
    if (!path.endsWith('.')) {
      if (e.object) throw fault(9005, `${path} is an object: its name must end with "."`)
      return [e]
    }
    return [...this.under(path)].filter((x) => !x.object)
  }

  /** GetParameterNames, with the NextLevel rules of TR-069 A.3.2.3. */
  names(path: string, nextLevel: boolean): ParameterInfoStruct[] {
    const info = (e: ParamDef): ParameterInfoStruct => ({ name: e.name, writable: e.writable })
    if (path === '') {
      if (nextLevel) return this.roots.map((r) => ({ name: r, writable: false }))
      return [...this.under('')].map(info)
    }
    const e = this.entries.get(path)
    if (!e) {
      const hint = this.entries.has(path + '.') ? ` (it is an object: write "${path}.")` : ''
      throw fault(9005, `${path} is not a parameter or object of this device${hint}`)
    }
    if (!e.object) {
      if (nextLevel) throw fault(9003, `NextLevel must be false when ParameterPath is a parameter (${path})`)
      return [info(e)]
    }
    const out: ParameterInfoStruct[] = []
    for (const x of this.under(path)) {
      if (x.name === path) {
        if (!nextLevel) out.push(info(x))
        continue
      }
      if (!nextLevel) out.push(info(x))
      else {
        const rest = x.name.slice(path.length)
        const dot = rest.indexOf('.')
        if (dot < 0 || dot === rest.length - 1) out.push(info(x))
      }
    }
    return out
  }

  instanceNumbers(table: string): number[] {
    const out: number[] = []
    for (const x of this.under(table)) {
      const rest = x.name.slice(table.length)
      const m = /^(\d+)\.$/.exec(rest)
      if (m) out.push(Number(m[1]))
    }
    return out
  }

  /** True when the path names a multi-instance object (a table), whether or not it has instances now. */
  isTable(path: string): boolean {
    const e = this.entries.get(path)
    if (!e || !e.object || INSTANCE.test(path) || this.roots.includes(path)) return false
    if (templatesOf(this.def).has(genericPath(path))) return true
    // Otherwise a table is an object whose only children are instances ("X.1.", "X.2."): CSV
    // exports mark plain objects writable too, so writability alone does not make a table.
    let instances = 0
    for (const x of this.under(path)) {
      const rest = x.name.slice(path.length)
      if (rest === '') continue
      const first = rest.slice(0, rest.indexOf('.') + 1 || undefined)
      if (!/^\d+\.$/.test(first)) return false
      if (rest === first) instances++
    }
    return instances > 0 || e.writable
  }

  /** AddObject: creates the next instance from the table's template; returns its number. */
  addInstance(table: string, wanted?: number): number {
    const e = this.entries.get(table)
    if (!table.endsWith('.') || !e || !e.object)
      throw fault(9005, `${table} is not an object of this device (AddObject needs a table path ending with ".")`)
    if (!this.isTable(table)) throw fault(9005, `${table} is not a multi-instance object`)
    if (!e.writable) throw fault(9001, `${table} is a read-only table: the device does not allow AddObject on it`)
    const existing = this.instanceNumbers(table)
    const n = wanted ?? Math.max(this.lastInstance.get(table) ?? 0, 0, ...existing) + 1
    if (existing.includes(n)) throw fault(9002, `instance ${table}${n}. already exists`)
    this.lastInstance.set(table, Math.max(n, this.lastInstance.get(table) ?? 0))
    const base = `${table}${n}.`
    const created: ParamDef[] = [{ name: base, object: true, writable: true, type: '', value: '' }]
    for (const t of templatesOf(this.def).get(genericPath(table)) ?? []) created.push({ ...t, name: base + t.name })
    this.insertAfterBlock(table, created)
    this.order = undefined
    this.updateCount(table)
    return n
  }

  /** DeleteObject: removes an instance and everything below it. */
  deleteInstance(path: string): void {
    const m = INSTANCE.exec(path)
    const e = this.entries.get(path)
    if (!m) throw fault(9005, `${path} is not an instance path (DeleteObject needs e.g. "…PortMapping.2.")`)
    if (!e) throw fault(9005, `${path} does not exist on this device`)
    const table = path.slice(0, path.length - m[1]!.length - 1)
    if (!e.writable && !this.entries.get(table)?.writable)
      throw fault(9001, `${path} cannot be deleted: ${table} is a read-only table`)
    for (const x of [...this.under(path)]) {
      this.entries.delete(x.name)
      this.attributes.delete(x.name)
    }
    this.order = undefined
    this.updateCount(table)
  }

  /** A copy of the mutable state, to roll back a change that must be all-or-nothing. */
  snapshot(): ModelSnapshot {
    return { entries: new Map(this.entries), attributes: new Map(this.attributes), last: new Map(this.lastInstance) }
  }

  restore(s: ModelSnapshot): void {
    this.entries = s.entries
    this.attributes = s.attributes
    this.lastInstance = s.last
    this.order = undefined
  }

  attributesOf(name: string): Attributes {
    return this.attributes.get(name) ?? { notification: this.entries.get(name)?.notification ?? 0, accessList: [] }
  }

  setAttributes(name: string, attrs: Attributes): void {
    this.attributes.set(name, attrs)
  }

  private insertAfterBlock(table: string, created: ParamDef[]): void {
    const next = new Map<string, ParamDef>()
    let inside = false
    let done = false
    for (const [name, x] of this.entries) {
      if (name.startsWith(table)) inside = true
      else if (inside && !done) {
        for (const c of created) next.set(c.name, c)
        done = true
      }
      next.set(name, x)
    }
    if (!done) for (const c of created) next.set(c.name, c)
    this.entries = next
  }

  /** Keeps "<Table>NumberOfEntries" (a sibling of the table) in step, as real CPEs do. */
  private updateCount(table: string): void {
    const counter = table.slice(0, -1) + 'NumberOfEntries'
    if (this.entries.has(counter)) this.set(counter, String(this.instanceNumbers(table).length))
  }
}

const orders = new WeakMap<ModelDefinition, { names: readonly string[]; at: ReadonlyMap<string, number> }>()

function sharedOrder(def: ModelDefinition) {
  let order = orders.get(def)
  if (!order) {
    const names = def.params.map((p) => p.name)
    order = { names, at: new Map(names.map((n, i) => [n, i])) }
    orders.set(def, order)
  }
  return order
}

const derived = new WeakMap<ModelDefinition, Map<string, readonly ParamDef[]>>()

/**
 * The model's explicit "{i}" templates plus, for tables that have none, one derived from the first
 * instance the model ships (its structure, with type defaults as values, nested instances dropped).
 */
export function templatesOf(def: ModelDefinition): Map<string, readonly ParamDef[]> {
  let out = derived.get(def)
  if (out) return out
  out = new Map(def.templates)
  const params = def.params
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!
    const m = INSTANCE.exec(p.name)
    if (!p.object || !m) continue
    const generic = genericPath(p.name.slice(0, p.name.length - m[1]!.length - 1))
    if (out.has(generic)) continue
    const list: ParamDef[] = []
    for (let j = i + 1; j < params.length && params[j]!.name.startsWith(p.name); j++) {
      const x = params[j]!
      const rel = x.name.slice(p.name.length)
      if (/(^|\.)\d+(\.|$)/.test(rel)) continue
      list.push(x.object ? { ...x, name: rel } : { ...x, name: rel, value: defaultValue(x.type || 'xsd:string') })
    }
    out.set(generic, list)
  }
  derived.set(def, out)
  return out
}
