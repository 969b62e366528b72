import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBench, type Bench } from '../../main/core/bench'
import type { BenchConfig, DeepPartial } from '../../main/core/config'
import type { BenchEventMap } from '../../main/core/events'
import type { SimEvent, SimFleet } from '../../main/core/sim'

/** The real ACS: a bench with its own SQLite file in a temp folder, listening on 127.0.0.1:<any>. */
export async function startBench(
  overrides: DeepPartial<BenchConfig> = {},
): Promise<{ bench: Bench; url: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-acs-'))
  const bench = await createBench(
    {
      dataDir: dir,
      ...overrides,
      cwmp: { port: 0, bind: '127.0.0.1', ...overrides.cwmp },
      connectionRequest: {
        username: 'cr',
        password: 'cr',
        timeoutMs: 2_000,
        retries: 1,
        ...overrides.connectionRequest,
      },
    },
    { log: () => {}, acs: { statusSweepMs: 0, connectionRequestBackoffMs: 20 } },
  )
  const { url } = await bench.acs.listen()
  return {
    bench,
    url,
    async close() {
      await bench.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

type Informed = BenchEventMap['device.informed']

/** Resolves with the next Inform the ACS accepts from `serial` that has all the given event codes. */
export function nextInform(bench: Bench, serial: string, codes: string[]): Promise<Informed> {
  return new Promise((resolve) => {
    const off = bench.events.on('device.informed', (e) => {
      const have = e.events.map((x) => x.code)
      if (e.device.serial === serial && codes.every((c) => have.includes(c))) {
        off()
        resolve(e)
      }
    })
  })
}

/** Resolves with the next event of a fleet that matches. */
export function nextSimEvent(fleet: SimFleet, match: (e: SimEvent) => boolean): Promise<SimEvent> {
  return new Promise((resolve) => {
    const off = fleet.on((e) => {
      if (match(e)) {
        off()
        resolve(e)
      }
    })
  })
}

export function nextBenchEvent<K extends keyof BenchEventMap>(
  bench: Bench,
  name: K,
  match: (e: BenchEventMap[K]) => boolean,
): Promise<BenchEventMap[K]> {
  return new Promise((resolve) => {
    const off = bench.events.on(name, (e) => {
      if (match(e)) {
        off()
        resolve(e)
      }
    })
  })
}

export interface FileServer {
  url: string
  puts: { path: string; body: Buffer }[]
  close(): Promise<void>
}

/**
 * A real HTTP file server for Download and Upload: serves `files` (a function answers when it
 * resolves), records PUTs and serves what was PUT.
 */
export async function startFileServer(files: Record<string, Buffer | (() => Promise<Buffer>)>): Promise<FileServer> {
  const puts: FileServer['puts'] = []
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? ''
      if (req.method === 'PUT') {
        puts.push({ path, body: Buffer.concat(chunks) })
        files[path] = Buffer.concat(chunks) // served back, e.g. to restore a configuration
        return void res.writeHead(204).end()
      }
      const file = files[path]
      if (!file) return void res.writeHead(404).end()
      if (Buffer.isBuffer(file)) return void res.end(file)
      void file().then((body) => res.end(body))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    puts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

/** A port nothing listens on (for "the ACS is down" tests). */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
