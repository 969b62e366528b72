import { buildDefinition, ModelError, type ModelDefinition, type RawRow } from './definition'
import type { Constraints } from './xsd'

/**
 * Our JSON model format (documented in docs/simulator.md):
 * { "format": "bench-acs-model/1", "description", "deviceId": {manufacturer, oui, productClass},
 *   "inform": [extra Inform parameters], "parameters": { "<path>": <string> | {type, value, writable, …} } }
 * Paths ending in "." are objects; "{i}" in a path makes it an instance template.
 */
export const JSON_MODEL_FORMAT = 'bench-acs-model/1'

const PARAM_KEYS = new Set(['type', 'value', 'writable', 'enum', 'min', 'max', 'maxLength', 'notification'])

export function parseJsonModel(text: string, source: string): ModelDefinition {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (error) {
    throw new ModelError(source, `not valid JSON: ${(error as Error).message}`)
  }
  if (!isObject(doc)) throw new ModelError(source, 'the top level must be a JSON object')
  if (doc.format !== JSON_MODEL_FORMAT)
    throw new ModelError(source, `"format" must be "${JSON_MODEL_FORMAT}" (got ${JSON.stringify(doc.format)})`)
  if (!isObject(doc.parameters)) throw new ModelError(source, '"parameters" must be an object of path → definition')
  const deviceId = doc.deviceId === undefined ? {} : doc.deviceId
  if (!isObject(deviceId)) throw new ModelError(source, '"deviceId" must be an object')
  const inform = doc.inform === undefined ? [] : doc.inform
  if (!Array.isArray(inform) || inform.some((n) => typeof n !== 'string'))
    throw new ModelError(source, '"inform" must be an array of parameter names')

  const rows: RawRow[] = []
  for (const [name, spec] of Object.entries(doc.parameters)) {
    const where = `parameter "${name}"`
    const object = name.endsWith('.')
    if (typeof spec === 'string') {
      if (object) throw new ModelError(source, `${where}: an object takes {} or {"writable": true}, not a value`)
      rows.push({ name, object, writable: false, value: spec, type: 'xsd:string', where })
      continue
    }
    if (!isObject(spec)) throw new ModelError(source, `${where}: expected a string value or an object`)
    for (const key of Object.keys(spec))
      if (!PARAM_KEYS.has(key)) throw new ModelError(source, `${where}: unknown key "${key}"`)
    if (spec.writable !== undefined && typeof spec.writable !== 'boolean')
      throw new ModelError(source, `${where}: "writable" must be true or false`)
    if (spec.value !== undefined && typeof spec.value !== 'string')
      throw new ModelError(source, `${where}: "value" must be a string (CWMP values are strings)`)
    if (spec.type !== undefined && typeof spec.type !== 'string')
      throw new ModelError(source, `${where}: "type" must be a string such as "unsignedInt"`)
    if (
      spec.notification !== undefined &&
      (typeof spec.notification !== 'number' || ![0, 1, 2].includes(spec.notification))
    )
      throw new ModelError(source, `${where}: "notification" must be 0, 1 or 2`)
    rows.push({
      name,
      object,
      writable: spec.writable === true,
      value: (spec.value as string | undefined) ?? '',
      type: (spec.type as string | undefined) ?? 'xsd:string',
      constraints: constraints(spec, source, where),
      ...(spec.notification !== undefined ? { notification: spec.notification as number } : {}),
      where,
    })
  }
  const str = (v: unknown, what: string) => {
    if (v === undefined) return undefined
    if (typeof v !== 'string') throw new ModelError(source, `deviceId.${what} must be a string`)
    return v
  }
  return buildDefinition(source, rows, {
    description: typeof doc.description === 'string' ? doc.description : '',
    deviceId: {
      manufacturer: str(deviceId.manufacturer, 'manufacturer'),
      oui: str(deviceId.oui, 'oui'),
      productClass: str(deviceId.productClass, 'productClass'),
    },
    inform: inform as string[],
  })
}

function constraints(spec: Record<string, unknown>, source: string, where: string): Constraints | undefined {
  const out: Constraints = {}
  if (spec.enum !== undefined) {
    if (!Array.isArray(spec.enum) || spec.enum.some((v) => typeof v !== 'string'))
      throw new ModelError(source, `${where}: "enum" must be an array of strings`)
    out.enum = spec.enum as string[]
  }
  for (const key of ['min', 'max', 'maxLength'] as const) {
    const v = spec[key]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new ModelError(source, `${where}: "${key}" must be an integer`)
    out[key] = v
  }
  return Object.keys(out).length ? out : undefined
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
