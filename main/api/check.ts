import type { Bench } from '../core/bench'
import { type CheckDeps } from '../core/check'

/** The small file the check's Download fetches from the bench's own file server. */
export const CHECK_FILE = 'bench-check-ringer.txt'

/**
 * What the CPE check needs of a bench. Its Download is a "5 Ringer File": of the TR-069 file types
 * the least likely to change what a router does (a CPE without voice refuses it, reported as such).
 */
export function checkDeps(bench: Bench): CheckDeps {
  return {
    store: bench.store,
    events: bench.events,
    acs: bench.acs,
    async downloadRequest(serial, commandKey) {
      const library = bench.files.library
      if (!library.get(CHECK_FILE))
        await library.add(
          { name: CHECK_FILE, content: Buffer.from('Bench ACS check file: safe to delete.\n') },
          { type: 'ringer', description: 'Fetched by the CPE check (bench-acs check)' },
        )
      return bench.files.downloadRequest(serial, CHECK_FILE, commandKey)
    },
  }
}
