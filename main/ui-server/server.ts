import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { StreamName, WsServerMessage } from '../../preload/api'
import type { BenchApiService } from '../api'
import { securityHeaders, serveFile } from './static'

export interface UiServerOptions {
  api: BenchApiService
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** Default 127.0.0.1. Anything but loopback requires a token. */
  host?: string
  /** Default 0 (any free port). */
  port?: number
  /** Token for non-loopback binds; made up when absent. Ignored on loopback unless requireToken. */
  token?: string
  requireToken?: boolean
}

export interface UiServer {
  /** The URL to open, with the token when one is required. */
  url: string
  port: number
  host: string
  token: string | null
  close(): Promise<void>
}

const COOKIE = 'bench_token'
/** Past this much unsent data, live batches to a slow client are skipped (the pages re-read SQLite). */
const MAX_BUFFERED = 8 * 1024 * 1024

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host)
}

/**
 * The headless shell's UI: serves the built renderer over HTTP and carries the API over a
 * WebSocket at /api. On loopback, requests must name a loopback host (against DNS rebinding) and
 * WebSocket upgrades must come from our own origin; on any other address, a token is required too.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1'
  const rendererDir = resolve(options.rendererDir)
  if (!existsSync(resolve(rendererDir, 'index.html')))
    throw new Error(`The UI is not built (${rendererDir}/index.html is missing). Run \`npm run build\` first.`)
  const token =
    options.requireToken || !isLoopback(host) ? (options.token ?? randomBytes(24).toString('base64url')) : null

  const tokenOk = (req: IncomingMessage, url: URL): boolean => {
    if (!token) return true
    const given = url.searchParams.get('token') ?? cookieOf(req, COOKIE)
    if (!given) return false
    const a = Buffer.from(given)
    const b = Buffer.from(token)
    return a.length === b.length && timingSafeEqual(a, b)
  }
  const hostOk = (req: IncomingMessage, port: number): boolean => {
    if (token) return true
    const h = (req.headers.host ?? '').toLowerCase()
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(h) || isLoopback(h.split(':')[0] ?? '')
  }

  let port = 0
  const server: Server = createServer((req, res) => {
    securityHeaders(res)
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (!hostOk(req, port)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Wrong host name: open the URL Bench ACS printed.\n')
      return
    }
    if (!tokenOk(req, url)) {
      res
        .writeHead(401, { 'Content-Type': 'text/plain' })
        .end('This Bench ACS needs its access token: open the URL it printed at start, with ?token=….\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    if (token && url.searchParams.has('token')) {
      // Keep the token out of the address bar and history: a cookie carries it from here on.
      res
        .writeHead(303, {
          'Set-Cookie': `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`,
          Location: url.pathname,
        })
        .end()
      return
    }
    if (!serveFile(rendererDir, url.pathname, res, req.method === 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n')
    }
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const origin = req.headers.origin
    const sameOrigin = !origin || origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`
    if (url.pathname !== '/api' || !hostOk(req, port) || !sameOrigin || !tokenOk(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options.api))
  })

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolvePromise()
    })
  })
  port = (server.address() as AddressInfo).port
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  const url = `http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`

  return {
    url,
    port,
    host,
    token,
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

function attach(ws: WebSocket, api: BenchApiService): void {
  const send = (message: WsServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }
  const connection = api.connect((stream: StreamName, batch) => {
    if (ws.bufferedAmount > MAX_BUFFERED) return
    send({ type: 'stream', stream, batch })
  })
  ws.on('message', (data) => {
    let message: { type?: unknown; id?: unknown; channel?: unknown; args?: unknown; stream?: unknown; on?: unknown }
    try {
      message = JSON.parse(String(data))
    } catch {
      ws.close(1003, 'messages must be JSON')
      return
    }
    if (message.type === 'call' && typeof message.id === 'number') {
      const id = message.id
      void api.call(String(message.channel), message.args).then((reply) => send({ type: 'reply', id, reply }))
    } else if (message.type === 'subscribe' && typeof message.stream === 'string') {
      connection.subscribe(message.stream, message.on === true)
    }
  })
  ws.on('close', () => connection.close())
  ws.on('error', () => connection.close())
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}
