// The two servers the storage, retention and soak suites drive: the real ACS on a database file of
// its own, and a bare Node HTTP server answering every POST with a fixed InformResponse.
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBench, type Bench, type CreateBenchOptions } from '../main/core/bench'
import type { BenchConfig, DeepPartial } from '../main/core/config'
import { encodeEnvelope } from '../main/core/cwmp'
import { databaseFile } from '../main/core/database'
import type { Db } from '../main/core/store/db'

export interface Running {
  url: string
  close(): Promise<void>
}

export async function startBareServer(): Promise<Running> {
  const reply = encodeEnvelope('cwmp-1-0', { id: '1' }, { method: 'InformResponse', maxEnvelopes: 1 })
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"', 'Content-Length': Buffer.byteLength(reply) })
      res.end(reply)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    },
  }
}

export interface RunningAcs extends Running {
  bench: Bench
  dir: string
}

/**
 * The real ACS (createBench, as `serve` builds it) on a temporary data folder, or on `dir`. No
 * discovery on a first Inform, no status sweep, retention only when the suite asks for a pass.
 */
export async function startBenchAcs(
  overrides: DeepPartial<BenchConfig> = {},
  options: { dir?: string; keep?: boolean; create?: CreateBenchOptions } = {},
): Promise<RunningAcs> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'bench-acs-storage-'))
  const bench = await createBench(
    {
      dataDir: dir,
      ...overrides,
      cwmp: { port: 0, bind: '127.0.0.1', discoverOnBootstrap: false, maxPendingBodies: 2048, ...overrides.cwmp },
      retention: { intervalMs: 3_600_000, ...overrides.retention },
    },
    { log: () => {}, ...options.create, acs: { statusSweepMs: 0, ...options.create?.acs } },
  )
  const { url } = await bench.acs.listen()
  return {
    url,
    bench,
    dir,
    async close() {
      await bench.close()
      if (!options.keep) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Bytes the database takes on disk once its WAL is checkpointed: the file plus what is left of the WAL. */
export function bytesOnDisk(db: Db, file: string): number {
  db.pragma('wal_checkpoint(TRUNCATE)')
  const size = (f: string) => {
    try {
      return statSync(f).size
    } catch {
      return 0
    }
  }
  return size(file) + size(`${file}-wal`)
}

export { databaseFile }
