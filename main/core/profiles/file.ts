import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node } from 'yaml'
import { checkProfile, isObject, onlyFields } from './check'
import { ProfileInputError, type ProfileDefinition } from './types'

/** The format line of an exported file (`bench-acs profiles export`). */
export const PROFILE_FILE_FORMAT = 'bench-acs-profiles/1'

export type ProfileFileFormat = 'json' | 'yaml'

/** Aliases a YAML file may use: enough for sharing a block of values, not for an alias bomb. */
const MAX_ALIASES = 100

/** YAML for a .yaml/.yml name; else JSON for a .json name or a text that starts with "{". */
export function profileFormatOf(fileName: string | undefined, content: string): ProfileFileFormat {
  if (fileName && /\.ya?ml$/i.test(fileName)) return 'yaml'
  if (fileName && /\.json$/i.test(fileName)) return 'json'
  return content.trimStart().startsWith('{') ? 'json' : 'yaml'
}

/**
 * The profiles of a shared file, JSON or YAML: `{format: bench-acs-profiles/1, profiles: [...]}`
 * as export writes it, or one profile object. All are checked before any is used; an error names
 * the field and, where it can be found, its line.
 */
export function parseProfileFile(
  content: string,
  fileName = 'the file',
  format: ProfileFileFormat = profileFormatOf(fileName, content),
): ProfileDefinition[] {
  const lines = new LineCounter()
  let doc: Document | undefined
  let raw: unknown
  if (format === 'json') {
    try {
      raw = JSON.parse(content)
    } catch (error) {
      throw new ProfileInputError(`${fileName} is not JSON: ${(error as Error).message}`)
    }
  } else {
    doc = parseDocument(content, { lineCounter: lines, uniqueKeys: true, prettyErrors: true })
    const [first] = doc.errors
    if (first) {
      const line = first.linePos?.[0].line
      throw new ProfileInputError(
        `${fileName} is not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      )
    }
    try {
      raw = doc.toJS({ maxAliasCount: MAX_ALIASES })
    } catch (error) {
      throw new ProfileInputError(`${fileName}: ${(error as Error).message}`)
    }
  }
  const where = (error: unknown, prefix: (string | number)[]): never => {
    if (!(error instanceof ProfileInputError)) throw error
    const line = error.field ? lineOf(content, format, doc, lines, [...prefix, ...error.field]) : undefined
    throw new ProfileInputError(`${fileName}${line ? ` line ${line}` : ''}: ${error.message}`, error.field)
  }
  if (isObject(raw) && 'format' in raw) {
    try {
      onlyFields('', raw, ['format', 'profiles'])
    } catch (error) {
      where(error, [])
    }
    if (raw.format !== PROFILE_FILE_FORMAT)
      throw new ProfileInputError(`${fileName}: format "${String(raw.format)}" is not ${PROFILE_FILE_FORMAT}`)
    if (!Array.isArray(raw.profiles)) throw new ProfileInputError(`${fileName}: profiles must be a list`)
    const list = raw.profiles.map((p, i) => {
      try {
        return checkProfile(p)
      } catch (error) {
        return where(error, ['profiles', i])
      }
    })
    const seen = new Set<string>()
    for (const p of list) {
      if (seen.has(p.name.toLowerCase())) throw new ProfileInputError(`${fileName}: profile "${p.name}" is there twice`)
      seen.add(p.name.toLowerCase())
    }
    return list
  }
  try {
    return [checkProfile(raw)]
  } catch (error) {
    return where(error, [])
  }
}

/** The line (from 1) of the field at `path`: its key when it is a map's key, else its value. */
function lineOf(
  content: string,
  format: ProfileFileFormat,
  yamlDoc: Document | undefined,
  yamlLines: LineCounter,
  path: (string | number)[],
): number | undefined {
  let doc = yamlDoc
  let lines = yamlLines
  if (!doc) {
    // JSON is YAML (flow style): parsed again only to find where things are.
    lines = new LineCounter()
    doc = parseDocument(content, { lineCounter: lines })
    if (doc.errors.length) return undefined
  }
  let node: unknown = doc.contents
  let offset: number | undefined = (node as Node | null)?.range?.[0]
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part))
      if (!pair) break
      offset = (pair.key as Node).range?.[0] ?? offset
      node = pair.value
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part]
      if (!node) break
      offset = (node as Node).range?.[0] ?? offset
    } else break
  }
  return offset === undefined ? undefined : lines.linePos(offset).line
}

/** What export writes: the definitions only (no ids, no history), in a stable order. */
export function profileFile(profiles: ProfileDefinition[], format: ProfileFileFormat = 'json'): string {
  const clean = profiles.map(({ name, description, enabled, match, when, steps }) => ({
    name,
    description,
    enabled,
    match,
    when,
    steps,
  }))
  const file = { format: PROFILE_FILE_FORMAT, profiles: clean }
  // Long parameter paths stay on one line; no anchors/aliases for repeated values.
  if (format === 'yaml') return stringify(file, { lineWidth: 0, aliasDuplicateObjects: false })
  return `${JSON.stringify(file, null, 2)}\n`
}
