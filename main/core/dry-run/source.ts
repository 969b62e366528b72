import { checkProfile } from '../profiles/check'
import { ProfileStore } from '../profiles/store'
import { ProfileNotFoundError, type ProfileDefinition } from '../profiles/types'
import { FileLibrary, type LibraryFile } from '../files'
import { ScriptStore } from '../scripts/library/store'
import type { ScriptRecord } from '../scripts'
import type { Store } from '../store'
import type { TargetSource } from './target'

/**
 * What a dry run reads of the bench it is for: the device, its stored values and tags, the
 * profile, the library's files and scripts, what profiles restored on the device before. It only
 * reads: the dry run itself works in a bench of its own (dry-run.ts).
 */
export interface DryRunSource extends TargetSource {
  profile(name: string): { definition: ProfileDefinition; version: number } | undefined
  mark(serial: string, mark: string): string | undefined
  firmware(productClass: string, version: string): LibraryFile | undefined
  file(name: string): { file: LibraryFile; path: string } | undefined
  scripts(): ScriptRecord[]
}

/** A source over a bench's store and data folder: the running app's, or one the CLI opened. */
export function dryRunSource(store: Store, dataDir: string): DryRunSource {
  const profiles = new ProfileStore(store.db, store.outbox)
  const library = new FileLibrary({ dataDir, store, maxBytes: () => Number.MAX_SAFE_INTEGER })
  const scripts = new ScriptStore(store.db)
  return {
    device: (serial) => store.devices.get(serial),
    parameters: (serial) => store.parameters.subtree(serial, ''),
    tags: (serial) => store.tags.of(serial),
    profile(name) {
      const p = profiles.get(name)
      if (!p) return undefined
      const { description, enabled, match, when, steps } = p
      return { definition: { name: p.name, description, enabled, match, when, steps }, version: p.version }
    },
    mark: (serial, mark) => profiles.mark(serial, mark),
    firmware: (productClass, version) => library.findFirmware(productClass, version),
    file(name) {
      const file = library.get(name)
      return file && { file, path: library.pathOf(library.require(name)) }
    },
    scripts: () => scripts.list().flatMap((s) => scripts.get(s.id) ?? []),
  }
}

/**
 * The profile a dry run runs: a saved one by name, or a definition (from a file, unsaved edits),
 * checked as saving it would be.
 */
export function dryRunProfile(
  source: DryRunSource,
  profile: string | unknown,
): { definition: ProfileDefinition; version: number | null } {
  if (typeof profile === 'string') {
    const saved = source.profile(profile)
    if (!saved) throw new ProfileNotFoundError(profile)
    return saved
  }
  return { definition: checkProfile(profile), version: null }
}
