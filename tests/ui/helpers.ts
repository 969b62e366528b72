/** The real headless UI server on a fresh bench, over real HTTP and a real WebSocket. */
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach } from 'vitest'
import WebSocket from 'ws'
import { createBench, type Bench } from '../../main/core/bench'
import { startHeadlessUi } from '../../main/ui-server'
import type { CallReply, WsServerMessage } from '../../preload/api'

const rendererDir = resolve(__dirname, '..', '..', 'out', 'renderer')
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

export async function start(options: { token?: string; requireToken?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ui-server-'))
  const bench: Bench = await createBench({ dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1' } }, { log: () => {} })
  cleanups.push(async () => {
    await bench.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const ui = await startHeadlessUi(bench, { rendererDir, port: 0, version: 'test', ...options })
  cleanups.push(() => ui.close())
  return { bench, ui, port: ui.server.port }
}

export function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolvePromise, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolvePromise({ status: res.statusCode!, headers: res.headers, body }))
      })
      req.on('error', reject)
      req.end()
    },
  )
}

export function connect(port: number, headers: Record<string, string> = {}, query = '') {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api${query}`, { headers })
  const messages: WsServerMessage[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (d) => {
    messages.push(JSON.parse(String(d)))
    for (const w of waiters.splice(0)) w()
  })
  const next = async (pred: (m: WsServerMessage) => boolean): Promise<WsServerMessage> => {
    for (;;) {
      const found = messages.find(pred)
      if (found) return found
      await new Promise<void>((r) => waiters.push(r))
    }
  }
  const opened = new Promise<number | null>((r) => {
    ws.once('open', () => r(null))
    ws.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0))
    ws.once('error', () => r(-1))
  })
  return { ws, next, opened }
}

/** A WebSocket client of the API as our page would open it, with a call() that awaits the reply. */
export async function client(port: number) {
  const c = connect(port, { Origin: `http://127.0.0.1:${port}` })
  const refused = await c.opened
  if (refused !== null) throw new Error(`the WebSocket was refused (${refused})`)
  let nextId = 1
  const call = async (channel: string, ...args: unknown[]): Promise<CallReply> => {
    const id = nextId++
    c.ws.send(JSON.stringify({ type: 'call', id, channel, args }))
    const m = await c.next((m) => m.type === 'reply' && m.id === id)
    return (m as { reply: CallReply }).reply
  }
  return { ...c, call }
}
