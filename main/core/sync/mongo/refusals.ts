import { SyncTargetError } from '../errors'
import type { MongoWrite } from './mapping'

/** One failed write of an unordered bulk write, as the server reports it (the driver's WriteError.err). */
export interface MongoWriteError {
  index: number
  /** Missing on some servers and proxies (mongos, compatible services) for a write they refuse. */
  code?: number
  errmsg?: string
  /** Labels the server adds, e.g. RetryableWriteError on a write worth sending again. */
  errorLabels?: string[]
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
 * Codes of a write refused for now: the server steps down, shuts down, is interrupted, times out,
 * is busy, or the user lacks a role that can be granted. A refusal with any of them is retried
 * with back-off, holding the rows after it. (The driver's retryable-write codes, and the others
 * that pass by themselves or once an admin acts on the server.)
 */
const PASSING = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  13, // Unauthorized: the readWrite role is granted
  24, // LockTimeout
  46, // LockBusy
  50, // MaxTimeMSExpired
  63, // StaleShardVersion
  64, // WriteConcernFailed
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  133, // FailedToSatisfyReadPreference
  150, // StaleEpoch
  189, // PrimarySteppedDown
  202, // NetworkInterfaceExceededTimeLimit
  262, // ExceededTimeLimit
  8000, // AtlasError (quota, maintenance)
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11601, // Interrupted
  11602, // InterruptedDueToReplStateChange
  13388, // StaleConfig
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
])
const PASSING_LABELS = new Set(['RetryableWriteError', 'TransientTransactionError'])

/**
 * Classifies a write the server refused. Passing (retried with back-off, holding the rows after
 * it as before): a code of PASSING (not primary, interrupted, timed out, not authorized…) or a
 * label saying the write may be sent again. Anything else is permanent (quarantined: the rows
 * after it go on, Retry sends it again): a validation rule refuses the document, a unique index
 * other than the one the write looks up already has its value, it is too large, its shape is
 * invalid, or the server refused this one write with a code it gave no meaning to, or with none.
 * The rest of its bulk went through, so the connection works: held, such a refusal would block
 * every row after it for good.
 */
export function classifyWriteError(we: MongoWriteError, write: MongoWrite, where: string): WriteVerdict {
  const refused = `${where} refused a write to ${write.collection}`
  const code = typeof we.code === 'number' && Number.isFinite(we.code) && we.code !== 0 ? we.code : undefined
  const said = oneLine(we.errmsg) || (code === undefined ? 'no error code or message' : `code ${code}`)
  const labels = Array.isArray(we.errorLabels) ? we.errorLabels : []
  if (labels.some((l) => PASSING_LABELS.has(l)) || (code !== undefined && PASSING.has(code)))
    return {
      ok: false,
      permanent: false,
      error: new SyncTargetError(
        `${refused}: ${said}`,
        code === 13
          ? 'Give the user the readWrite role on the sync database; it is retried automatically.'
          : 'The server is busy, changing primary or shutting down; it is retried automatically. If it lasts, check the server (rs.status()).',
      ),
    }
  if (code === undefined)
    return refusal(
      `${refused} without an error code (${said})`,
      `The server gives no reason it could pass later, so this record was set aside and the rows after it were sent. Check the server's log and the collection's rules (validator, unique indexes), ${RETRY}`,
    )
  if (DUPLICATE_KEY.has(code)) {
    const index = duplicateIndex(we)
    // On the key the filter looks up: the same or a newer record is stored (see MongoWrite.key).
    if (index === undefined || index === write.key) return { ok: true, duplicate: true }
    return refusal(
      `${refused}: another document already has this value in the unique index ${index} (${said})`,
      `That unique index is not one Bench ACS creates: drop it or remove the clashing document, ${RETRY}`,
    )
  }
  if (code === VALIDATION) {
    const rules = validationDetails(we.errInfo)
    return refusal(
      `${refused}: the collection's validation rules refuse the document${rules ? ` (${rules})` : ''}`,
      `Change the collection's validator (collMod) so that it accepts Bench ACS's fields, or set validationAction "warn", ${RETRY}`,
    )
  }
  if (TOO_LARGE.has(code))
    return refusal(
      `${refused}: the document is larger than MongoDB stores (16 MB) (${said})`,
      'This record cannot be stored in MongoDB as it is; it stays listed here and holds nothing else up.',
    )
  const shape = REFUSED_SHAPE.get(code)
  if (shape)
    return refusal(
      `${refused}: ${shape} (${said})`,
      `The server refuses this document as it is; check the collection's rules (and report it to the Bench ACS developers), ${RETRY}`,
    )
  return refusal(
    `${refused}: ${oneLine(we.errmsg) ? `${said} (code ${code})` : said}`,
    `The server refused this record (and took the others of its batch), so it was set aside and the rows after it were sent. Look the code up in MongoDB's error codes and the server's log, fix the cause, ${RETRY}`,
  )
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
