import { ulid } from '../../ids'
import { SECRET_PLACEHOLDER } from '../../settings'
import type Database from 'better-sqlite3'
import type { Db } from '../../store'
import { ScriptInputError } from '../errors'
import type { EnvInput, EnvVariable, RunEnv, ScriptEnv } from './types'

/** Environments the library holds. */
export const MAX_ENVS = 100
/** Variables one environment holds. */
export const MAX_ENV_VARIABLES = 200
/** Longest variable value, bytes (UTF-8). */
export const MAX_ENV_VALUE_BYTES = 8 * 1024
/** A variable name: what `env.NAME` can reach in Lua. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/

interface EnvRow {
  id: string
  name: string
  is_default: number
  created_at: number
  updated_at: number
}

interface VarRow {
  env_id: string
  name: string
  value: string
  secret: number
}

/**
 * Named environments of script variables (SQLite, tables script_envs and script_env_vars). What it
 * hands out for display has secret values replaced by SECRET_PLACEHOLDER; only `forRun` reads them.
 */
export class EnvLibrary {
  constructor(private readonly db: Db) {}

  /** Every environment, by name, secrets masked. */
  list(): ScriptEnv[] {
    const vars = this.db.prepare<[], VarRow>('SELECT * FROM script_env_vars ORDER BY name COLLATE NOCASE').all()
    const rows = this.db.prepare<[], EnvRow>('SELECT * FROM script_envs ORDER BY name COLLATE NOCASE').all()
    return rows.map((r) =>
      toEnv(
        r,
        vars.filter((v) => v.env_id === r.id),
        true,
      ),
    )
  }

  /** One environment by id or name (names ignore case), secrets masked. */
  get(idOrName: string): ScriptEnv | undefined {
    const row = this.row(idOrName)
    return row ? toEnv(row, this.vars(row.id), true) : undefined
  }

  create(input: EnvInput): ScriptEnv {
    const count = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM script_envs').get()!.n
    if (count >= MAX_ENVS) throw new ScriptInputError(`there are at most ${MAX_ENVS} environments`)
    const now = Date.now()
    const row: EnvRow = { id: ulid(now), name: envName(input.name), is_default: 0, created_at: now, updated_at: now }
    const variables = checkVariables(input.variables, [])
    this.write(row, variables, input.isDefault === true, true)
    return this.get(row.id)!
  }

  /** Replaces the name and variables; a secret sent back masked (or without a value) keeps its value. */
  update(id: string, input: EnvInput): ScriptEnv {
    const base = this.row(id)
    if (!base) throw new ScriptInputError(`no environment with id ${id}`)
    const row: EnvRow = { ...base, name: envName(input.name), updated_at: Date.now() }
    const variables = checkVariables(input.variables, this.vars(base.id))
    const isDefault = input.isDefault === undefined ? base.is_default === 1 : input.isDefault
    this.write(row, variables, isDefault, false)
    return this.get(row.id)!
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM script_envs WHERE id = ?').run(id).changes > 0
  }

  /** Every secret value of every environment: masked in stored SOAP bodies and synced records. */
  secretValues(): string[] {
    this.secretsStmt ??= this.db.prepare<[], { value: string }>('SELECT value FROM script_env_vars WHERE secret = 1')
    return this.secretsStmt.all().map((r) => r.value)
  }

  private secretsStmt: Database.Statement<[], { value: string }> | undefined

  /**
   * What a run reads: the named environment (by id or name), or the default one when none is
   * named (undefined when there is none). Unknown names are an error, not an empty environment.
   */
  forRun(idOrName?: string): RunEnv | undefined {
    let row: EnvRow | undefined
    if (idOrName !== undefined && idOrName !== '') {
      row = this.row(idOrName)
      if (!row) throw new ScriptInputError(`no environment named "${idOrName}" (see the Environments tab)`)
    } else row = this.db.prepare<[], EnvRow>('SELECT * FROM script_envs WHERE is_default = 1').get()
    if (!row) return undefined
    const vars = this.vars(row.id)
    return {
      name: row.name,
      values: Object.fromEntries(vars.map((v) => [v.name, v.value])),
      secrets: vars.filter((v) => v.secret === 1).map((v) => v.value),
    }
  }

  private row(idOrName: string): EnvRow | undefined {
    return (
      this.db.prepare<[string], EnvRow>('SELECT * FROM script_envs WHERE id = ?').get(idOrName) ??
      this.db.prepare<[string], EnvRow>('SELECT * FROM script_envs WHERE name = ?').get(idOrName)
    )
  }

  private vars(envId: string): VarRow[] {
    return this.db
      .prepare<[string], VarRow>('SELECT * FROM script_env_vars WHERE env_id = ? ORDER BY name COLLATE NOCASE')
      .all(envId)
  }

  private write(row: EnvRow, variables: EnvVariable[], isDefault: boolean, insert: boolean): void {
    const taken = this.db
      .prepare<[string, string], { id: string }>('SELECT id FROM script_envs WHERE name = ? AND id <> ?')
      .get(row.name, row.id)
    if (taken) throw new ScriptInputError(`an environment named "${row.name}" already exists`)
    this.db.transaction(() => {
      if (isDefault)
        this.db.prepare('UPDATE script_envs SET is_default = 0 WHERE is_default = 1 AND id <> ?').run(row.id)
      const r = { ...row, is_default: isDefault ? 1 : 0 }
      if (insert)
        this.db
          .prepare(
            'INSERT INTO script_envs (id, name, is_default, created_at, updated_at) VALUES (@id, @name, @is_default, @created_at, @updated_at)',
          )
          .run(r)
      else
        this.db
          .prepare(
            'UPDATE script_envs SET name = @name, is_default = @is_default, updated_at = @updated_at WHERE id = @id',
          )
          .run(r)
      this.db.prepare('DELETE FROM script_env_vars WHERE env_id = ?').run(row.id)
      const add = this.db.prepare('INSERT INTO script_env_vars (env_id, name, value, secret) VALUES (?, ?, ?, ?)')
      for (const v of variables) add.run(row.id, v.name, v.value, v.secret ? 1 : 0)
    })()
  }
}

function toEnv(row: EnvRow, vars: VarRow[], masked: boolean): ScriptEnv {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.is_default === 1,
    variables: vars.map((v) => ({
      name: v.name,
      value: v.secret === 1 && masked ? SECRET_PLACEHOLDER : v.value,
      secret: v.secret === 1,
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function envName(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new ScriptInputError('an environment needs a name')
  const name = value.trim().replace(/[\r\n\t]/g, ' ')
  if (name.length > 100) throw new ScriptInputError('an environment name is at most 100 characters')
  return name
}

function checkVariables(value: unknown, stored: VarRow[]): EnvVariable[] {
  if (!Array.isArray(value)) throw new ScriptInputError('variables must be a list')
  if (value.length > MAX_ENV_VARIABLES)
    throw new ScriptInputError(`an environment has at most ${MAX_ENV_VARIABLES} variables`)
  const seen = new Set<string>()
  return value.map((item: unknown, i) => {
    if (!item || typeof item !== 'object') throw new ScriptInputError(`variable ${i + 1} must be an object`)
    const v = item as { name?: unknown; value?: unknown; secret?: unknown }
    const name = typeof v.name === 'string' ? v.name.trim() : ''
    if (!VARIABLE_NAME.test(name))
      throw new ScriptInputError(
        `variable ${i + 1}: "${String(v.name ?? '').slice(0, 70)}" is not a valid name (letters, digits and _, not starting with a digit, at most 64)`,
      )
    if (seen.has(name)) throw new ScriptInputError(`variable ${name} is named twice`)
    seen.add(name)
    const secret = v.secret === true
    const old = stored.find((s) => s.name === name)
    let text: string
    if (secret && old?.secret === 1 && (v.value === undefined || v.value === null || v.value === SECRET_PLACEHOLDER))
      text = old.value
    else if (old?.secret === 1 && v.value === SECRET_PLACEHOLDER)
      throw new ScriptInputError(`variable ${name}: type its value again to make it no longer secret`)
    else if (v.value === undefined || v.value === null) text = ''
    else if (typeof v.value !== 'string') throw new ScriptInputError(`variable ${name}: the value must be text`)
    else text = v.value
    if (Buffer.byteLength(text) > MAX_ENV_VALUE_BYTES)
      throw new ScriptInputError(`variable ${name}: the value is over ${MAX_ENV_VALUE_BYTES} bytes`)
    return { name, value: text, secret }
  })
}
