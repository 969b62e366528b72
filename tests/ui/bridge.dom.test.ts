// Browser code under test: typechecked with the DOM library by tsconfig.dom-tests.json.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createBench } from '../../main/core/bench'
import { startHeadlessUi } from '../../main/ui-server'
import { MAX_CALLS_IN_FLIGHT } from '../../preload/api'

const rendererDir = resolve(__dirname, '..', '..', 'out', 'renderer')
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('browser bridge (renderer/bridge.ts) against the real UI server', () => {
  it('holds its own calls past the server cap back, so a burst of calls all get answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-bridge-'))
    const bench = await createBench({ dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1' } }, { log: () => {} })
    cleanups.push(async () => {
      await bench.close()
      rmSync(dir, { recursive: true, force: true })
    })
    const ui = await startHeadlessUi(bench, { rendererDir, port: 0, version: 'test' })
    cleanups.push(() => ui.close())
    // The bridge is browser code: give it a window, its location and a WebSocket (ws's, same API;
    // a browser's never throws on a failed reconnect, so neither may this one). Kept after the
    // test: the bridge goes on retrying, as a page would, until this file's worker ends.
    const g = globalThis as Record<string, unknown>
    g.window = {}
    g.location = new URL(`http://127.0.0.1:${ui.server.port}/`)
    g.WebSocket = class extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args)
        this.on('error', () => {})
      }
    }
    const { connectBench } = await import('../../renderer/bridge')
    const api = connectBench()

    const burst = MAX_CALLS_IN_FLIGHT * 20
    const settled = await Promise.allSettled(Array.from({ length: burst }, () => api.app.info()))
    const failed = settled.filter((s) => s.status === 'rejected')
    expect(failed.map((f) => String(f.reason))).toEqual([])
    expect(ui.server.stats()).toMatchObject({ calls: burst, refused: 0 })
  })
})
