// File serving throughput of the ACS's file server (GET /files/NAME on the CWMP port: lookup,
// range handling, progress events, fetch log row) next to a bare Node static file server
// (fs.createReadStream piped to the response) serving the same file from the same disk, driven
// by the same client in the same run.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBench } from '../main/core/bench'
import type { BenchSuite } from './types'

const CASES = [
  { label: '64 MiB file, 2 clients', size: 64 * 1024 * 1024, clients: 2, requests: 8 },
  { label: '1 MiB file, 8 clients', size: 1024 * 1024, clients: 8, requests: 400 },
]

export const filesSuite: BenchSuite = {
  name: 'files',
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-files-bench-'))
    const bench = await createBench(
      { dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, acs: { statusSweepMs: 0 }, scripts: { seedExamples: false } },
    )
    let bare: Server | undefined
    try {
      const { port } = await bench.acs.listen()
      for (const c of CASES) {
        const name = `f${c.size}.bin`
        const content = Buffer.alloc(c.size)
        for (let i = 0; i < c.size; i += 4096) content[i] = i & 0xff
        await bench.files.library.add({ content, name }, { type: 'web' })
        const path = bench.files.library.pathOf(bench.files.library.require(name))
        bare = createServer((req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(c.size) })
          createReadStream(path).pipe(res)
        })
        await new Promise<void>((r) => bare!.listen(0, '127.0.0.1', r))
        const barePort = (bare.address() as AddressInfo).port
        // Alternating rounds, best of three each: the machine is shared.
        let ours = 0
        let theirs = 0
        for (let round = 0; round < 3; round++) {
          theirs = Math.max(theirs, await rate(`http://127.0.0.1:${barePort}/x`, c.clients, c.requests, c.size))
          ours = Math.max(ours, await rate(`http://127.0.0.1:${port}/files/${name}`, c.clients, c.requests, c.size))
        }
        await new Promise<void>((r) => bare!.close(() => r()))
        bare = undefined
        report({
          name: `file server GET (${c.label})`,
          value: ours / 1024 / 1024,
          unit: 'MiB/s',
          baseline: { name: 'bare fs.createReadStream → response', value: theirs / 1024 / 1024, unit: 'MiB/s' },
          ratio: { value: ours / theirs, meaning: 'our rate ÷ bare rate', aim: '≥ 0.8' },
        })
      }
    } finally {
      bare?.close()
      await bench.close()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

/** Bytes per second: `requests` GETs over `clients` keep-alive connections, each body read and dropped. */
async function rate(url: string, clients: number, requests: number, size: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  let left = requests
  const started = process.hrtime.bigint()
  const worker = async () => {
    while (left-- > 0) {
      await new Promise<void>((resolve, reject) => {
        get(url, { agent }, (res) => {
          let n = 0
          res.on('data', (c: Buffer) => (n += c.length))
          res.on('end', () => (n === size ? resolve() : reject(new Error(`got ${n} of ${size} bytes`))))
          res.on('error', reject)
        }).on('error', reject)
      })
    }
  }
  await Promise.all(Array.from({ length: clients }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  agent.destroy()
  return (requests * size) / seconds
}
