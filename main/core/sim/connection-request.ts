import { createServer, type Server } from 'node:http'
import { networkInterfaces } from 'node:os'
import type { AddressInfo } from 'node:net'
import { DigestServer, type Credentials } from '../cwmp'

export interface ConnectionRequestListenerOptions {
  /** Address to bind (127.0.0.1 by default). */
  bind: string
  /** URL path the CPE answers on, e.g. "/SIM000001". */
  path: string
  /** Read at each request, so a SetParameterValues of ConnectionRequestUsername/Password takes effect at once. */
  credentials: () => Credentials
  /** Called after the 200 has been sent (TR-069: respond first, then start the session). */
  onConnectionRequest: () => void
  /** False while the CPE is offline (an injected fault): requests get no answer, the socket is dropped. */
  reachable?: () => boolean
  realm?: string
}

/**
 * A CPE's connection-request endpoint (TR-069 3.2.2): HTTP GET, Digest (qop=auth) with fresh
 * nonces, replays refused. Basic is not accepted: it sends the password in the clear and TR-069
 * requires Digest here. With an empty username and password, requests are accepted unauthenticated.
 */
export class ConnectionRequestListener {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: ConnectionRequestListenerOptions): Promise<ConnectionRequestListener> {
    const digest = new DigestServer({ realm: options.realm ?? 'Bench ACS simulated CPE', maxNonces: 64 })
    const server = createServer((req, res) => {
      if (options.reachable && !options.reachable()) {
        req.socket.destroy()
        return
      }
      req.resume()
      const path = (req.url ?? '').split('?')[0]
      if (path !== options.path) {
        res.writeHead(404, { 'Content-Length': '0' }).end()
        return
      }
      if (req.method !== 'GET') {
        res.writeHead(405, { Allow: 'GET', 'Content-Length': '0' }).end()
        return
      }
      const creds = options.credentials()
      if (creds.username !== '' || creds.password !== '') {
        const verdict = digest.verify(req.headers.authorization, 'GET', creds)
        if (!verdict.ok) {
          res
            .writeHead(401, {
              'WWW-Authenticate': digest.challenge(verdict.reason === 'stale'),
              'Content-Length': '0',
            })
            .end()
          return
        }
      }
      res.on('finish', options.onConnectionRequest)
      res.writeHead(200, { 'Content-Length': '0' }).end()
    })
    server.headersTimeout = 10_000
    server.requestTimeout = 10_000
    server.keepAliveTimeout = 2_000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, options.bind, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const { port } = server.address() as AddressInfo
    return new ConnectionRequestListener(server, `http://${urlHost(options.bind)}:${port}${options.path}`)
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }
}

/** The host an ACS can reach: the bind address, or for a wildcard bind the first external IPv4 address. */
function urlHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::' || bind === '') {
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
    return '127.0.0.1'
  }
  return bind.includes(':') ? `[${bind}]` : bind
}
