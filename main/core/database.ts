import { join } from 'node:path'
import { Store, type OpenOptions } from './store'
import { CORE_MIGRATIONS, type Migration } from './store/migrations'
import { SCRIPT_MIGRATIONS } from './scripts/migrations'
import { SYNC_MIGRATIONS } from './sync/migrations'
import { FILE_MIGRATIONS } from './files/migrations'
import { PROFILE_MIGRATIONS } from './profiles/migrations'

/** The whole schema: the store's own tables and each feature's (see the version ranges there). */
export const BENCH_MIGRATIONS: readonly Migration[] = [
  ...CORE_MIGRATIONS,
  ...SCRIPT_MIGRATIONS,
  ...SYNC_MIGRATIONS,
  ...FILE_MIGRATIONS,
  ...PROFILE_MIGRATIONS,
]

/** The bench's database file in a data folder. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'bench.sqlite')
}

/** Opens (creating and migrating) a bench database: what the app, the CLI and the tests use. */
export function openBenchStore(file: string, options: Omit<OpenOptions, 'migrations'> = {}): Store {
  return Store.open(file, { ...options, migrations: BENCH_MIGRATIONS })
}
