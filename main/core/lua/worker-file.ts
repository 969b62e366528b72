import { join } from 'node:path'
import { locateWorker as locate, spawnWorker, type WorkerSource } from '../workers'

export { spawnWorker, type WorkerSource }

/** The Lua worker's bundle name in out/main (electron.vite.config.ts, main rollup input "lua-worker"). */
export const WORKER_BUNDLE = 'lua-worker.js'

/** Where the Lua worker's code is (see main/core/workers.ts). */
export function locateWorker(moduleUrl: string = import.meta.url): WorkerSource {
  return locate(moduleUrl, { entry: join('worker', 'entry.ts'), bundle: WORKER_BUNDLE })
}
