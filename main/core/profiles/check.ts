import { deviceTest, versionTest } from './match'
import { ProfileInputError, type DeviceMatch, type ProfileDefinition, type ProfileStep, type StepValue } from './types'

/** The format line of an exported file (`bench-acs profiles export`). */
export const PROFILE_FILE_FORMAT = 'bench-acs-profiles/1'

export const MAX_STEPS = 100
const MAX_VALUES = 200
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,63}$/
/** A TR-069 parameter path (object paths end with "."). */
const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.?$/
const MATCH_FIELDS = ['manufacturer', 'oui', 'productClass', 'model', 'softwareVersion', 'serial'] as const
const STEP_FIELDS: Record<string, readonly string[]> = {
  set: ['set'],
  addObject: ['addObject', 'match', 'set'],
  deleteObject: ['deleteObject', 'match'],
  firmware: ['firmware'],
  config: ['config'],
  script: ['script', 'args'],
}

type Json = Record<string, unknown>

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Refuses fields it does not know, naming them and the ones it does. */
function onlyFields(where: string, o: Json, known: readonly string[]): void {
  const unknown = Object.keys(o).filter((k) => !known.includes(k))
  if (unknown.length)
    throw new ProfileInputError(
      `${where ? `${where}: ` : ''}unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${known.join(', ')})`,
    )
}

function text(where: string, v: unknown, max = 200): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max)
    throw new ProfileInputError(`${where} must be non-empty text (at most ${max} characters)`)
  return v.trim()
}

function values(where: string, v: unknown, objectPath?: string): Record<string, StepValue> {
  if (!isObject(v) || Object.keys(v).length === 0)
    throw new ProfileInputError(`${where} must be an object of parameter names and values`)
  if (Object.keys(v).length > MAX_VALUES) throw new ProfileInputError(`${where}: at most ${MAX_VALUES} parameters`)
  const out: Record<string, StepValue> = {}
  for (const [name, value] of Object.entries(v)) {
    if (!PATH.test(name) || name.endsWith('.'))
      throw new ProfileInputError(`${where}: "${name}" is not a parameter name`)
    if (objectPath === undefined && !name.includes('.'))
      throw new ProfileInputError(
        `${where}: "${name}" is not a full parameter name (e.g. Device.ManagementServer.PeriodicInformInterval)`,
      )
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new ProfileInputError(`${where}: the value of "${name}" must be text, a number or true/false`)
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new ProfileInputError(`${where}: the value of "${name}" is not a number`)
    out[name] = value
  }
  return out
}

function objectPath(where: string, v: unknown): string {
  if (typeof v !== 'string' || !PATH.test(v) || !v.endsWith('.'))
    throw new ProfileInputError(`${where} must be an object path ending with "." (e.g. Device.IP.Interface.)`)
  return v
}

function checkStep(i: number, raw: unknown): ProfileStep {
  const where = `steps[${i}]`
  if (!isObject(raw)) throw new ProfileInputError(`${where} must be an object such as {"firmware": "2.0.1"}`)
  const kind = Object.keys(STEP_FIELDS).find((k) => k in raw && (k !== 'set' || !('addObject' in raw)))
  if (!kind) throw new ProfileInputError(`${where} has no kind: give one of ${Object.keys(STEP_FIELDS).join(', ')}`)
  onlyFields(where, raw, STEP_FIELDS[kind]!)
  switch (kind) {
    case 'set':
      return { set: values(`${where}.set`, raw.set) }
    case 'addObject': {
      const path = objectPath(`${where}.addObject`, raw.addObject)
      return {
        addObject: path,
        ...(raw.match !== undefined ? { match: values(`${where}.match`, raw.match, path) } : {}),
        ...(raw.set !== undefined ? { set: values(`${where}.set`, raw.set, path) } : {}),
      }
    }
    case 'deleteObject': {
      const path = objectPath(`${where}.deleteObject`, raw.deleteObject)
      return {
        deleteObject: path,
        ...(raw.match !== undefined ? { match: values(`${where}.match`, raw.match, path) } : {}),
      }
    }
    case 'firmware': {
      const v = text(`${where}.firmware`, raw.firmware, 64)
      if (/^[<>=!]/.test(v))
        throw new ProfileInputError(
          `${where}.firmware is the exact version to install (e.g. "2.0.1"), not a comparison`,
        )
      return { firmware: v }
    }
    case 'config':
      return { config: text(`${where}.config`, raw.config, 128) }
    default:
      return {
        script: text(`${where}.script`, raw.script, 128),
        ...(raw.args !== undefined ? { args: values(`${where}.args`, raw.args, '') } : {}),
      }
  }
}

function checkMatch(raw: unknown): DeviceMatch {
  if (raw === undefined) return {}
  if (!isObject(raw)) throw new ProfileInputError(`match must be an object (${MATCH_FIELDS.join(', ')})`)
  onlyFields('match', raw, MATCH_FIELDS)
  const out: DeviceMatch = {}
  for (const f of MATCH_FIELDS) if (raw[f] !== undefined) out[f] = text(`match.${f}`, raw[f])
  if (out.softwareVersion !== undefined) versionTest(out.softwareVersion)
  deviceTest(out)
  return out
}

/**
 * Checks a profile as a user wrote it (JSON): unknown fields, bad paths, bad version expressions
 * and empty steps are refused with a message that names them; defaults are filled in.
 */
export function checkProfile(raw: unknown): ProfileDefinition {
  if (!isObject(raw)) throw new ProfileInputError('a profile is a JSON object with a name and steps')
  const name = text('name', raw.name, 64)
  if (!NAME.test(name))
    throw new ProfileInputError(`name "${name}": use letters, digits, spaces and . _ + - (at most 64)`)
  const at = (what: string) => `profile "${name}": ${what}`
  try {
    onlyFields('', raw, ['name', 'description', 'enabled', 'match', 'when', 'steps'])
    const description = raw.description === undefined ? '' : raw.description
    if (typeof description !== 'string' || description.length > 2000)
      throw new ProfileInputError('description must be text')
    const enabled = raw.enabled ?? true
    if (typeof enabled !== 'boolean') throw new ProfileInputError('enabled must be true or false')
    let events: string[] = []
    if (raw.when !== undefined) {
      if (!isObject(raw.when)) throw new ProfileInputError('when must be an object such as {"events": ["0 BOOTSTRAP"]}')
      onlyFields('when', raw.when, ['events'])
      const e = raw.when.events ?? []
      if (!Array.isArray(e) || e.length > 20 || !e.every((x) => typeof x === 'string' && x.trim() && x.length <= 64))
        throw new ProfileInputError('when.events is a list of CWMP event codes, e.g. ["0 BOOTSTRAP", "1 BOOT"]')
      events = e.map((x: string) => x.trim())
    }
    if (!Array.isArray(raw.steps) || raw.steps.length === 0 || raw.steps.length > MAX_STEPS)
      throw new ProfileInputError(`steps must be a list of 1 to ${MAX_STEPS} steps`)
    return {
      name,
      description,
      enabled,
      match: checkMatch(raw.match),
      when: { events },
      steps: raw.steps.map((s, i) => checkStep(i, s)),
    }
  } catch (error) {
    if (error instanceof ProfileInputError) throw new ProfileInputError(at(error.message))
    throw error
  }
}

/**
 * The profiles of a shared file: `{"format": "bench-acs-profiles/1", "profiles": [...]}` as export
 * writes it, or one profile object. All are checked before any is used.
 */
export function parseProfileFile(content: string, fileName = 'the file'): ProfileDefinition[] {
  let raw: unknown
  try {
    raw = JSON.parse(content)
  } catch (error) {
    throw new ProfileInputError(`${fileName} is not JSON: ${(error as Error).message}`)
  }
  if (isObject(raw) && 'format' in raw) {
    onlyFields(fileName, raw, ['format', 'profiles'])
    if (raw.format !== PROFILE_FILE_FORMAT)
      throw new ProfileInputError(`${fileName}: format "${String(raw.format)}" is not ${PROFILE_FILE_FORMAT}`)
    if (!Array.isArray(raw.profiles)) throw new ProfileInputError(`${fileName}: profiles must be a list`)
    const list = raw.profiles.map(checkProfile)
    const seen = new Set<string>()
    for (const p of list) {
      if (seen.has(p.name.toLowerCase())) throw new ProfileInputError(`${fileName}: profile "${p.name}" is there twice`)
      seen.add(p.name.toLowerCase())
    }
    return list
  }
  return [checkProfile(raw)]
}

/** What export writes: the definitions only (no ids, no history), in a stable order. */
export function profileFile(profiles: ProfileDefinition[]): string {
  const clean = profiles.map(({ name, description, enabled, match, when, steps }) => ({
    name,
    description,
    enabled,
    match,
    when,
    steps,
  }))
  return `${JSON.stringify({ format: PROFILE_FILE_FORMAT, profiles: clean }, null, 2)}\n`
}
