import { CronExpressionParser } from 'cron-parser'
import { deviceTest, versionTest } from './match'
import { ProfileInputError, type DeviceMatch, type ProfileDefinition, type ProfileStep, type StepValue } from './types'

export const MAX_STEPS = 100
const MAX_VALUES = 200
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,63}$/
/** A TR-069 parameter path (object paths end with "."). */
const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.?$/
const MATCH_FIELDS = ['manufacturer', 'oui', 'productClass', 'model', 'softwareVersion', 'serial', 'tag'] as const
const STEP_FIELDS: Record<string, readonly string[]> = {
  set: ['set'],
  addObject: ['addObject', 'match', 'set'],
  deleteObject: ['deleteObject', 'match'],
  firmware: ['firmware'],
  config: ['config'],
  script: ['script', 'args'],
}

type Json = Record<string, unknown>

/** "steps[2].set" → ["steps", 2, "set"]: where in the file a message points (for a line number). */
function pathOf(where: string): (string | number)[] {
  return where
    .split('.')
    .filter(Boolean)
    .flatMap((part) => {
      const m = /^(\w+)\[(\d+)\]$/.exec(part)
      return m ? [m[1]!, Number(m[2])] : [part]
    })
}

/** An error about the field `where` (and its key `key`). */
function bad(where: string, message: string, key?: string): ProfileInputError {
  return new ProfileInputError(message, key === undefined ? pathOf(where) : [...pathOf(where), key])
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Refuses fields it does not know, naming them and the ones it does. */
export function onlyFields(where: string, o: Json, known: readonly string[]): void {
  const unknown = Object.keys(o).filter((k) => !known.includes(k))
  if (unknown.length)
    throw bad(
      where,
      `${where ? `${where}: ` : ''}unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${known.join(', ')})`,
      unknown[0],
    )
}

function text(where: string, v: unknown, max = 200): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max)
    throw bad(where, `${where} must be non-empty text (at most ${max} characters)`)
  return v.trim()
}

function values(where: string, v: unknown, objectPath?: string): Record<string, StepValue> {
  if (!isObject(v) || Object.keys(v).length === 0)
    throw bad(where, `${where} must be an object of parameter names and values`)
  if (Object.keys(v).length > MAX_VALUES) throw bad(where, `${where}: at most ${MAX_VALUES} parameters`)
  const out: Record<string, StepValue> = {}
  for (const [name, value] of Object.entries(v)) {
    if (!PATH.test(name) || name.endsWith('.')) throw bad(where, `${where}: "${name}" is not a parameter name`, name)
    if (objectPath === undefined && !name.includes('.'))
      throw bad(
        where,
        `${where}: "${name}" is not a full parameter name (e.g. Device.ManagementServer.PeriodicInformInterval)`,
        name,
      )
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw bad(where, `${where}: the value of "${name}" must be text, a number or true/false`, name)
    if (typeof value === 'number' && !Number.isFinite(value))
      throw bad(where, `${where}: the value of "${name}" is not a number`, name)
    out[name] = value
  }
  return out
}

function objectPath(where: string, v: unknown): string {
  if (typeof v !== 'string' || !PATH.test(v) || !v.endsWith('.'))
    throw bad(where, `${where} must be an object path ending with "." (e.g. Device.IP.Interface.)`)
  return v
}

function checkStep(i: number, raw: unknown): ProfileStep {
  const where = `steps[${i}]`
  if (!isObject(raw)) throw bad(where, `${where} must be an object such as {"firmware": "2.0.1"}`)
  const kind = Object.keys(STEP_FIELDS).find((k) => k in raw && (k !== 'set' || !('addObject' in raw)))
  if (!kind) throw bad(where, `${where} has no kind: give one of ${Object.keys(STEP_FIELDS).join(', ')}`)
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
        throw bad(
          `${where}.firmware`,
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
  if (!isObject(raw)) throw bad('match', `match must be an object (${MATCH_FIELDS.join(', ')})`)
  onlyFields('match', raw, MATCH_FIELDS)
  const out: DeviceMatch = {}
  for (const f of MATCH_FIELDS) if (raw[f] !== undefined) out[f] = text(`match.${f}`, raw[f])
  if (out.softwareVersion !== undefined)
    try {
      versionTest(out.softwareVersion)
    } catch (error) {
      if (error instanceof ProfileInputError) throw bad('match.softwareVersion', error.message)
      throw error
    }
  deviceTest(out)
  return out
}

/** A schedule: a cron expression (5 fields, or 6 with seconds first), checked by cron-parser. */
export function checkSchedule(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > 120)
    throw bad('when.schedule', 'when.schedule must be a cron expression such as "0 3 * * *" (every day at 03:00)')
  const cron = v.trim().replace(/\s+/g, ' ')
  const fields = cron.split(' ').length
  if (fields < 5 || fields > 6)
    throw bad(
      'when.schedule',
      `when.schedule "${cron}" has ${fields} fields: a cron expression has 5 (minute hour day month weekday)`,
    )
  try {
    CronExpressionParser.parse(cron)
  } catch (error) {
    throw bad('when.schedule', `when.schedule "${cron}" is not a valid cron expression: ${(error as Error).message}`)
  }
  return cron
}

function checkWhen(raw: unknown): ProfileDefinition['when'] {
  if (raw === undefined) return { events: [] }
  if (!isObject(raw))
    throw bad('when', 'when must be an object such as {"events": ["0 BOOTSTRAP"]} or {"schedule": "0 3 * * *"}')
  onlyFields('when', raw, ['events', 'schedule'])
  const e = raw.events ?? []
  if (!Array.isArray(e) || e.length > 20 || !e.every((x) => typeof x === 'string' && x.trim() && x.length <= 64))
    throw bad('when.events', 'when.events is a list of CWMP event codes, e.g. ["0 BOOTSTRAP", "1 BOOT"]')
  const events = e.map((x: string) => x.trim())
  return raw.schedule === undefined ? { events } : { events, schedule: checkSchedule(raw.schedule) }
}

/**
 * Checks a profile as a user wrote it (JSON or YAML): unknown fields, bad paths, bad version
 * expressions, bad schedules and empty steps are refused with a message that names them (and
 * `field`, the path to what is wrong); defaults are filled in.
 */
export function checkProfile(raw: unknown): ProfileDefinition {
  if (!isObject(raw)) throw new ProfileInputError('a profile is an object with a name and steps')
  const name = text('name', raw.name, 64)
  if (!NAME.test(name)) throw bad('name', `name "${name}": use letters, digits, spaces and . _ + - (at most 64)`)
  const at = (what: string) => `profile "${name}": ${what}`
  try {
    onlyFields('', raw, ['name', 'description', 'enabled', 'match', 'when', 'steps'])
    const description = raw.description === undefined ? '' : raw.description
    if (typeof description !== 'string' || description.length > 2000)
      throw bad('description', 'description must be text')
    const enabled = raw.enabled ?? true
    if (typeof enabled !== 'boolean') throw bad('enabled', 'enabled must be true or false')
    const when = checkWhen(raw.when)
    if (!Array.isArray(raw.steps) || raw.steps.length === 0 || raw.steps.length > MAX_STEPS)
      throw bad('steps', `steps must be a list of 1 to ${MAX_STEPS} steps`)
    return {
      name,
      description,
      enabled,
      match: checkMatch(raw.match),
      when,
      steps: raw.steps.map((s, i) => checkStep(i, s)),
    }
  } catch (error) {
    if (error instanceof ProfileInputError) throw new ProfileInputError(at(error.message), error.field)
    throw error
  }
}
