import { join } from 'node:path'
import { defaultConfig, type BenchConfig, type DeepPartial } from './config'
import { BenchEvents } from './events'
import { Journal } from './journal'
import { Store } from './store'

/**
 * The composition root. The Electron main process, the headless server and the command line all
 * build the same core with createBench(config) and expose it; none of it knows about Electron.
 */
export interface Bench {
  config: BenchConfig
  store: Store
  events: BenchEvents
  /** Writes the event log; use it instead of store.events.append so listeners hear about it. */
  journal: Journal
  /** Stops every service and closes the database. Safe to call twice. */
  close(): Promise<void>
}

export interface CreateBenchOptions {
  /** Logs problems that have no better place to go (a listener that threw, a failed close). */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  /** Open this database file instead of <dataDir>/bench.sqlite (":memory:" for tests). */
  databaseFile?: string
}

export async function createBench(
  overrides: DeepPartial<BenchConfig> = {},
  options: CreateBenchOptions = {},
): Promise<Bench> {
  const config = defaultConfig(overrides)
  const log = options.log ?? ((level, message) => console[level === 'info' ? 'log' : level](message))
  const store = Store.open(options.databaseFile ?? join(config.dataDir, 'bench.sqlite'), {
    nativeBinding: config.sqliteNativeBinding,
  })
  const events = new BenchEvents((name, error) => log('error', `listener for ${name} failed: ${String(error)}`))

  const journal = new Journal(store, events)

  let closed = false
  return {
    config,
    store,
    events,
    journal,
    async close() {
      if (closed) return
      closed = true
      store.close()
    },
  }
}
