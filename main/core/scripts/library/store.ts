import type { Db } from '../../store'
import { ulid } from '../../ids'
import { checkLimits, LimitError, MAX_SOURCE_BYTES, type ScriptLimits } from '../../lua/limits'
import { ScriptInputError } from '../errors'
import type { ScriptInput, ScriptRecord, ScriptSummary, ScriptVersion } from '../types'

const MAX_NAME = 100
const MAX_DESCRIPTION = 4000

interface ScriptRow {
  id: string
  name: string
  description: string
  source: string
  limits: string
  version: number
  example: number
  created_at: number
  updated_at: number
}

interface VersionRow {
  script_id: string
  version: number
  name: string
  description: string
  source: string
  limits: string
  saved_at: number
}

/** The script library: current versions in `scripts`, every saved version in `script_versions`. */
export class ScriptStore {
  private readonly byId
  private readonly byName
  private readonly insertScript
  private readonly updateScript
  private readonly insertVersion

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], ScriptRow>('SELECT * FROM scripts WHERE id = ?')
    this.byName = db.prepare<[string], ScriptRow>('SELECT * FROM scripts WHERE name = ?')
    this.insertScript = db.prepare(`
      INSERT INTO scripts (id, name, description, source, limits, version, example, created_at, updated_at)
      VALUES (@id, @name, @description, @source, @limits, 1, @example, @now, @now)`)
    this.updateScript = db.prepare(`
      UPDATE scripts SET name = @name, description = @description, source = @source, limits = @limits,
        version = @version, updated_at = @now WHERE id = @id`)
    this.insertVersion = db.prepare(`
      INSERT INTO script_versions (script_id, version, name, description, source, limits, saved_at)
      VALUES (@id, @version, @name, @description, @source, @limits, @now)`)
  }

  list(): ScriptSummary[] {
    return this.db
      .prepare<[], Omit<ScriptRow, 'source'>>(
        'SELECT id, name, description, limits, version, example, created_at, updated_at FROM scripts ORDER BY name',
      )
      .all()
      .map((r) => {
        const { source: _omit, ...rest } = toRecord({ ...r, source: '' })
        return rest
      })
  }

  get(id: string): ScriptRecord | undefined {
    const row = this.byId.get(id)
    return row ? toRecord(row) : undefined
  }

  getByName(name: string): ScriptRecord | undefined {
    const row = this.byName.get(name)
    return row ? toRecord(row) : undefined
  }

  create(input: ScriptInput, options: { example?: boolean; now?: number } = {}): ScriptRecord {
    const clean = checkInput(input)
    const now = options.now ?? Date.now()
    const id = ulid(now)
    return this.db.transaction(() => {
      if (this.byName.get(clean.name)) throw new ScriptInputError(`a script named "${clean.name}" already exists`)
      const row = { id, ...clean, limits: JSON.stringify(clean.limits), example: options.example ? 1 : 0, now }
      this.insertScript.run(row)
      this.insertVersion.run({ ...row, version: 1 })
      return this.get(id)!
    })()
  }

  /** Saves changes as a new version; a save that changes nothing keeps the version. */
  update(id: string, patch: Partial<ScriptInput>, now = Date.now()): ScriptRecord {
    return this.db.transaction(() => {
      const current = this.get(id)
      if (!current) throw new ScriptInputError(`no script with id ${id}`)
      const clean = checkInput({
        name: patch.name ?? current.name,
        source: patch.source ?? current.source,
        description: patch.description ?? current.description,
        limits: patch.limits ?? current.limits,
      })
      const limits = JSON.stringify(clean.limits)
      if (
        clean.name === current.name &&
        clean.source === current.source &&
        clean.description === current.description &&
        limits === JSON.stringify(current.limits)
      )
        return current
      const other = this.byName.get(clean.name)
      if (other && other.id !== id) throw new ScriptInputError(`a script named "${clean.name}" already exists`)
      const row = { id, ...clean, limits, version: current.version + 1, now }
      this.updateScript.run(row)
      this.insertVersion.run(row)
      return this.get(id)!
    })()
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM scripts WHERE id = ?').run(id).changes > 0
  }

  /** Saved versions, newest first. */
  versions(id: string): ScriptVersion[] {
    return this.db
      .prepare<[string], VersionRow>('SELECT * FROM script_versions WHERE script_id = ? ORDER BY version DESC')
      .all(id)
      .map(toVersion)
  }

  version(id: string, version: number): ScriptVersion | undefined {
    const row = this.db
      .prepare<[string, number], VersionRow>('SELECT * FROM script_versions WHERE script_id = ? AND version = ?')
      .get(id, version)
    return row ? toVersion(row) : undefined
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM scripts').get()!.n
  }
}

function checkInput(input: ScriptInput): Required<ScriptInput> {
  if (!input || typeof input !== 'object') throw new ScriptInputError('a script needs a name and a source')
  const name = typeof input.name === 'string' ? input.name.trim() : ''
  if (!name) throw new ScriptInputError('a script needs a name')
  if (name.length > MAX_NAME) throw new ScriptInputError(`a script name has at most ${MAX_NAME} characters`)
  // The name is the chunk name in error messages ("name:12: …"): keep it on one line.
  if ([...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    throw new ScriptInputError('a script name cannot contain control characters')
  if (typeof input.source !== 'string') throw new ScriptInputError('a script source must be text')
  if (Buffer.byteLength(input.source) > MAX_SOURCE_BYTES)
    throw new ScriptInputError(`a script source is at most ${MAX_SOURCE_BYTES / 1024} KiB`)
  const description = input.description ?? ''
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION)
    throw new ScriptInputError(`a description is text of at most ${MAX_DESCRIPTION} characters`)
  let limits: Partial<ScriptLimits>
  try {
    limits = checkLimits(input.limits)
  } catch (error) {
    if (error instanceof LimitError) throw new ScriptInputError(error.message)
    throw error
  }
  return { name, source: input.source, description, limits }
}

function parseLimits(text: string): Partial<ScriptLimits> {
  try {
    return JSON.parse(text) as Partial<ScriptLimits>
  } catch {
    return {}
  }
}

function toRecord(r: ScriptRow): ScriptRecord {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    source: r.source,
    limits: parseLimits(r.limits),
    version: r.version,
    example: r.example === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function toVersion(r: VersionRow): ScriptVersion {
  return {
    scriptId: r.script_id,
    version: r.version,
    name: r.name,
    description: r.description,
    source: r.source,
    limits: parseLimits(r.limits),
    savedAt: r.saved_at,
  }
}
