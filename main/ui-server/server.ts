import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { isIP, isIPv4, type AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { WebSocketServer } from 'ws'
import type { BenchApiService } from '../api'
import { attachConnection, type ConnectionStats } from './connection'
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
  /** Calls, refusals and pauses over all WebSocket clients so far. */
  stats(): ConnectionStats
  close(): Promise<void>
}

const COOKIE = 'bench_token'

/** A loopback address literal (or "localhost"); never a DNS name that merely starts with "127.". */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'))
}

/**
 * Whether a Host header names this server: exactly a loopback literal or the address it is bound
 * to, with its port. Any DNS name is refused, so a web page whose name an attacker rebinds to
 * 127.0.0.1 (DNS rebinding) is not served, and cannot open the API. Bound to every interface
 * (0.0.0.0, ::), any IP address literal of the machine is accepted: a literal cannot be rebound,
 * and the token is required there anyway.
 */
export function hostAllowed(hostHeader: string, bind: string, port: number): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(hostHeader.toLowerCase())
  if (!m) return false
  const name = m[1]!.replace(/^\[(.*)\]$/, '$1')
  // Browsers leave out the default port.
  if ((m[2] === undefined ? 80 : Number(m[2])) !== port) return false
  if (['127.0.0.1', 'localhost', '::1'].includes(name)) return true
  if (name === bind.toLowerCase()) return true
  return (bind === '0.0.0.0' || bind === '::') && isIP(name) !== 0
}

/**
 * The headless shell's UI: serves the built renderer over HTTP and carries the API over a
 * WebSocket at /api. Requests and upgrades must name this server exactly (hostAllowed: against DNS
 * rebinding), upgrades must come from our own page's origin, and on any address but loopback a
 * token is required too. See docs/security.md.
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
  const hostOk = (req: IncomingMessage, port: number): boolean => hostAllowed(req.headers.host ?? '', host, port)
  const stats: ConnectionStats = { calls: 0, refused: 0, paused: 0 }

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
    // Browsers always send Origin on a WebSocket: it must be our page, on the very host it loaded
    // from (itself checked above). Clients that are not browsers send none.
    const origin = req.headers.origin
    const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`
    if (url.pathname !== '/api' || !hostOk(req, port) || !sameOrigin || !tokenOk(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachConnection(ws, options.api, stats))
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
    stats: () => ({ ...stats }),
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}
