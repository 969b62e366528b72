// A real nats-server with JetStream for tests and the sync bench: loopback only, its own store
// folder, a port chosen by the server itself (-p -1) and kept across kill/restart so clients can
// reconnect to the same URL.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const NATS_SERVER_BIN = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find(
  (p) => existsSync(p),
)

export interface NatsServer {
  readonly port: number
  readonly url: string
  readonly storeDir: string
  readonly running: boolean
  /** SIGKILL: no clean shutdown, as when the machine or the process dies. */
  kill(): Promise<void>
  /** Starts again on the same port with the same store. */
  restart(): Promise<void>
  /** Kills it and deletes its store folder. */
  dispose(): Promise<void>
}

export async function startNatsServer(options: { args?: string[]; port?: number } = {}): Promise<NatsServer> {
  if (!NATS_SERVER_BIN) throw new Error('nats-server is not installed (apt-get install nats-server)')
  const storeDir = mkdtempSync(join(tmpdir(), 'bench-nats-'))
  let child: ChildProcess | undefined
  let port = options.port ?? -1

  const launch = async (): Promise<void> => {
    const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, ...(options.args ?? [])]
    const proc = spawn(NATS_SERVER_BIN!, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    let log = ''
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        log += d.toString()
        const m = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(log)
        if (m) port = Number(m[1])
        if (/Server is ready/.test(log)) {
          proc.stderr!.off('data', onData)
          proc.stdout!.off('data', onData)
          resolve()
        }
      }
      proc.stderr!.on('data', onData)
      proc.stdout!.on('data', onData)
      proc.once('exit', (code) => reject(new Error(`nats-server exited with ${code}:\n${log}`)))
    })
    // Keep draining its output so a chatty server never blocks on a full pipe.
    proc.stderr!.resume()
    proc.stdout!.resume()
  }

  const kill = async () => {
    const c = child
    child = undefined
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGKILL')
    })
  }

  await launch()
  return {
    get port() {
      return port
    },
    get url() {
      return `nats://127.0.0.1:${port}`
    },
    storeDir,
    get running() {
      return Boolean(child && child.exitCode === null && child.signalCode === null)
    },
    kill,
    restart: launch,
    async dispose() {
      await kill()
      rmSync(storeDir, { recursive: true, force: true })
    },
  }
}
