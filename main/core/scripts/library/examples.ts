import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '../../store'
import { resourcesDir } from '../../resources'
import type { ScriptStore } from './store'

/** Settings key: example files already put in the library (removing one does not bring it back). */
const SEEDED_KEY = 'scripts.seededExamples'

interface Manifest {
  scripts: { file: string; name: string; description?: string }[]
}

/** resources/scripts: the script API page's examples verbatim, and a few for technicians. */
export function examplesDir(): string {
  return join(resourcesDir(), 'scripts')
}

/**
 * Adds the example scripts the library has not had yet (on first start: all of them). Returns
 * how many were added. A missing resources folder is reported, not fatal.
 */
export function seedExamples(store: Store, scripts: ScriptStore, dir: string = examplesDir()): number {
  const manifestFile = join(dir, 'index.json')
  if (!existsSync(manifestFile)) throw new Error(`no example scripts at ${dir} (index.json is missing)`)
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest
  const seeded = new Set(store.settings.get<string[]>(SEEDED_KEY, []))
  let added = 0
  store.transaction(() => {
    for (const entry of manifest.scripts) {
      if (seeded.has(entry.file)) continue
      seeded.add(entry.file)
      if (scripts.getByName(entry.name)) continue
      const source = readFileSync(join(dir, entry.file), 'utf8')
      scripts.create({ name: entry.name, source, description: entry.description ?? '' }, { example: true })
      added++
    }
    store.settings.set(SEEDED_KEY, [...seeded])
  })
  return added
}
