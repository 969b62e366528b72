import { SyncTargetError } from '../errors'
import type { MongoWrite } from './mapping'

/** One failed write of an unordered bulk write, as the server reports it (the driver's WriteError.err). */
export interface MongoWriteError {
  index: number
  code: number
  errmsg?: string
  /** Duplicate key (MongoDB 4.4+): the unique index's key, e.g. { sn: 1 }. */
  keyPattern?: Record<string, unknown>
  /** Validation failure (MongoDB 5.0+): which rules the document did not satisfy. */
  errInfo?: unknown
}

/** What became of one write: stored (a duplicate on our own key), or failed for now or for good. */
export type WriteVerdict = { ok: true; duplicate: true } | { ok: false; error: SyncTargetError; permanent: boolean }

/** Server codes meaning the document itself is refused: sending it again as it is cannot help. */
const REFUSED_SHAPE = new Map<number, string>([
  [2, 'BadValue'],
  [9, 'FailedToParse'],
  [14, 'TypeMismatch'],
  [52, 'DollarPrefixedFieldName'],
  [55, 'InvalidDBRef'],
  [56, 'EmptyFieldName'],
  [57, 'DottedFieldName'],
  [66, 'ImmutableField'],
  [17280, 'KeyTooLong'],
])
const VALIDATION = 121
const DUPLICATE_KEY = new Set([11000, 11001])
/** BSONObjectTooLarge, and "Resulting document after update is larger than 16777216". */
const TOO_LARGE = new Set([10334, 17419])

const RETRY = 'then press Retry on the Sync page (or run bench-acs sync --once).'

/**
 * Classifies a write the server refused. Permanent (quarantined: the rows after it go on): a
 * validation rule refuses the document, a unique index other than the one the write looks up
 * already has its value, it is too large, or its shape is invalid. Anything else (not primary,
 * interrupted, timed out, not authorized…) may pass on the next attempt and is retried, holding
 * the rows after it as before.
 */
export function classifyWriteError(we: MongoWriteError, write: MongoWrite, where: string): WriteVerdict {
  const refused = `${where} refused a write to ${write.collection}`
  const said = oneLine(we.errmsg) || `code ${we.code}`
  if (DUPLICATE_KEY.has(we.code)) {
    const index = duplicateIndex(we)
    // On the key the filter looks up: the same or a newer record is stored (see MongoWrite.key).
    if (index === undefined || index === write.key) return { ok: true, duplicate: true }
    return refusal(
      `${refused}: another document already has this value in the unique index ${index} (${said})`,
      `That unique index is not one Bench ACS creates: drop it or remove the clashing document, ${RETRY}`,
    )
  }
  if (we.code === VALIDATION) {
    const rules = validationDetails(we.errInfo)
    return refusal(
      `${refused}: the collection's validation rules refuse the document${rules ? ` (${rules})` : ''}`,
      `Change the collection's validator (collMod) so that it accepts Bench ACS's fields, or set validationAction "warn", ${RETRY}`,
    )
  }
  if (TOO_LARGE.has(we.code))
    return refusal(
      `${refused}: the document is larger than MongoDB stores (16 MB) (${said})`,
      'This record cannot be stored in MongoDB as it is; it stays listed here and holds nothing else up.',
    )
  const shape = REFUSED_SHAPE.get(we.code)
  if (shape)
    return refusal(
      `${refused}: ${shape} (${said})`,
      `The server refuses this document as it is; check the collection's rules (and report it to the Bench ACS developers), ${RETRY}`,
    )
  return {
    ok: false,
    permanent: false,
    error: new SyncTargetError(
      `${refused}: ${said}`,
      "Check the user's roles (it needs readWrite on the database) and that the server is healthy; it is retried automatically.",
    ),
  }
}

function refusal(message: string, hint: string): WriteVerdict {
  return { ok: false, permanent: true, error: new SyncTargetError(message, hint) }
}

/** The name of the unique index a duplicate-key error names: from keyPattern, else from the message. */
export function duplicateIndex(we: MongoWriteError): string | undefined {
  const keys = we.keyPattern && typeof we.keyPattern === 'object' ? Object.keys(we.keyPattern) : []
  if (keys.length === 1) return keys[0]
  if (keys.length > 1) return keys.join('_')
  // "E11000 duplicate key error collection: db.c index: sn_1 dup key: { … }"
  const name = /index: (\S+) dup key/.exec(we.errmsg ?? '')?.[1]
  if (!name) return undefined
  if (name === '_id_') return '_id'
  return /^([^.$]+)_-?1$/.exec(name)?.[1] ?? name
}

/** "required: customer; properties: status" from MongoDB 5.0+'s errInfo.details, bounded. */
function validationDetails(errInfo: unknown): string {
  const rules = (errInfo as { details?: { schemaRulesNotSatisfied?: unknown } } | undefined)?.details
    ?.schemaRulesNotSatisfied
  if (!Array.isArray(rules)) return ''
  const parts: string[] = []
  for (const rule of rules.slice(0, 5) as Record<string, unknown>[]) {
    const op = typeof rule.operatorName === 'string' ? rule.operatorName : 'rule'
    const names = [
      ...(Array.isArray(rule.missingProperties) ? rule.missingProperties : []),
      ...(Array.isArray(rule.propertiesNotSatisfied)
        ? rule.propertiesNotSatisfied.map((p: { propertyName?: unknown }) => p?.propertyName)
        : []),
    ].filter((n): n is string => typeof n === 'string')
    parts.push(names.length > 0 ? `${op}: ${names.slice(0, 10).join(', ')}` : op)
  }
  return oneLine(parts.join('; '))
}

function oneLine(text: string | undefined): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim()
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat
}

/**
 * The driver refuses a whole bulk write, before sending any of it, when one document is larger
 * than the server's maximum (MongoInvalidArgumentError "Document is larger than the maximum size
 * N"). Returns N, or undefined for any other error.
 */
export function bulkTooLargeLimit(error: unknown): number | undefined {
  const e = error as { name?: unknown; message?: unknown } | null
  if (!e || typeof e.message !== 'string') return undefined
  const m = /Document is larger than the maximum size (\d+)/.exec(e.message)
  return m ? Number(m[1]) : undefined
}
