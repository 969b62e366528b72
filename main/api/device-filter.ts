import type { Bench } from '../core/bench'
import { DEVICE_SORTS, MAX_TAG_LENGTH, type DeviceFilter } from '../core/store'
import { BadRequestError } from './errors'
import { oneOf, optInt, optObj, optStr } from './validate'

const PROVISIONING = ['pending', 'done', 'failed'] as const

/** A tag as the technician typed it: trimmed, 1–64 printable characters. */
export function tagArg(value: unknown): string {
  const tag = (optStr(value, 'tag', 256) ?? '').trim()
  if (!tag) throw new BadRequestError('Type a tag.')
  if (tag.length > MAX_TAG_LENGTH) throw new BadRequestError(`A tag has at most ${MAX_TAG_LENGTH} characters.`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(tag)) throw new BadRequestError('A tag cannot hold control characters.')
  return tag
}

/**
 * The store filter of a device query from the UI: text, status, tag, and the states the store does
 * not keep ("in session" is live ACS state, provisioning the profiles' runs), both as serials.
 * The device list, "select all matching" and the CSV export all resolve a query here.
 */
export function deviceFilter(bench: Bench, query: unknown): DeviceFilter {
  const q = optObj(query, 'query') as Record<string, unknown>
  const status = optInt(q.status, 'status', 0, 2) as 0 | 1 | 2 | undefined
  const text = optStr(q.text, 'search text', 256) || undefined
  const tag = q.tag === undefined || q.tag === '' ? undefined : tagArg(q.tag)
  const provisioning = q.provisioning === undefined ? undefined : oneOf(q.provisioning, PROVISIONING, 'provisioning')
  let serials = status === 1 ? bench.acs.activeSessions().map((s) => s.serial) : undefined
  if (provisioning) {
    const states = bench.profiles.states()
    const inState = (serial: string) => states[serial] === provisioning
    serials = serials ? serials.filter(inState) : Object.keys(states).filter(inState)
  }
  const sort = q.sort === undefined ? undefined : oneOf(q.sort, DEVICE_SORTS, 'sort')
  const filter: DeviceFilter = serials
    ? { text, serials, tag, ...(status === 1 ? {} : { status }) }
    : { text, status, tag }
  return { ...filter, sort, descending: q.descending === true }
}
