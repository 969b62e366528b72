import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCsvModel } from './csv'
import { ModelError, type ModelDefinition } from './definition'
import { parseJsonModel } from './json'

/** Built-in models, by the short names `--model` and SimOptions.model accept. */
export const BUILTIN_MODELS: Record<string, string> = {
  tr098: 'tr098-huawei-bm632w.csv',
  tr181: 'tr181-bench-router.json',
}

const MARKER = join('models', BUILTIN_MODELS.tr098!)

/**
 * The project's resources/ folder. Found by walking up from this module (works from the sources
 * under vitest/tsx and from the bundle in out/main/), then from Electron's resourcesPath when
 * packaged, then from the working directory; BENCH_ACS_RESOURCES overrides all of them.
 */
export function resourcesDir(): string {
  const candidates: string[] = []
  if (process.env.BENCH_ACS_RESOURCES) candidates.push(process.env.BENCH_ACS_RESOURCES)
  const starts: string[] = []
  try {
    starts.push(dirname(fileURLToPath(import.meta.url)))
  } catch {
    // Not an ES module (e.g. bundled as CommonJS): fall through to the other starting points.
  }
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged) candidates.push(join(packaged, 'resources'), packaged)
  starts.push(process.cwd())
  for (const start of starts) {
    let dir = start
    for (let i = 0; i < 8; i++) {
      candidates.push(join(dir, 'resources'))
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  const found = candidates.find((c) => existsSync(join(c, MARKER)))
  if (!found)
    throw new Error(
      `cannot find the resources/models folder (looked in ${candidates.slice(0, 4).join(', ')}, …); set BENCH_ACS_RESOURCES to the project's resources folder`,
    )
  return found
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
