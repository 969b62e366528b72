import { readFileSync, statSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import { parseCsvModel } from './csv'
import { ModelError, type ModelDefinition } from './definition'
import { parseJsonModel } from './json'
import { resourcesDir } from '../../resources'

export { resourcesDir }

/** Built-in models, by the short names `--model` and SimOptions.model accept. */
export const BUILTIN_MODELS: Record<string, string> = {
  tr098: 'tr098-huawei-bm632w.csv',
  tr181: 'tr181-bench-router.json',
}

/** "tr098" / "tr181" → the shipped file; anything else is a path (relative to the working directory). */
export function resolveModelPath(model: string): string {
  const builtin = BUILTIN_MODELS[model.toLowerCase()]
  if (builtin) return join(resourcesDir(), 'models', builtin)
  return resolve(model)
}

const cache = new Map<string, { key: string; def: ModelDefinition }>()

/** Loads (and caches, until the file changes) a CSV or JSON model. Throws ModelError with the file and line. */
export function loadModel(model: string): ModelDefinition {
  const path = resolveModelPath(model)
  let key: string
  try {
    const st = statSync(path)
    if (!st.isFile()) throw new Error('not a file')
    key = `${st.size}:${st.mtimeMs}`
  } catch {
    const known = Object.keys(BUILTIN_MODELS).join(', ')
    throw new ModelError(
      path,
      `no such model file (built-in models: ${known}; or give a path to a .csv or .json model)`,
    )
  }
  const hit = cache.get(path)
  if (hit && hit.key === key) return hit.def
  const text = readFileSync(path, 'utf8')
  const ext = extname(path).toLowerCase()
  const def =
    ext === '.json' || (ext !== '.csv' && text.trimStart().startsWith('{'))
      ? parseJsonModel(text, path)
      : parseCsvModel(text, path)
  cache.set(path, { key, def })
  return def
}
