import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createApiService, type BenchApiService } from '../api'
import type { Bench } from '../core/bench'
import { startUiServer, type UiServer } from './server'

export { startUiServer, isLoopback, type UiServer, type UiServerOptions } from './server'

export interface HeadlessUiOptions {
  host?: string
  port?: number
  token?: string
  /** Require the token even on loopback (a shared machine). */
  requireToken?: boolean
  version?: string
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  /** Defaults to out/renderer next to the built bundle (or in the project folder). */
  rendererDir?: string
  /** Why the ACS listener did not start, when it did not. */
  acsStartError?: string | null
}

/** Finds the built renderer from the bundle (out/main/…) or from source (main/ui-server/…). */
export function defaultRendererDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url))
  for (const candidate of [join(here, '..', 'renderer'), join(here, '..', '..', 'out', 'renderer')]) {
    if (existsSync(join(candidate, 'index.html'))) return resolve(candidate)
  }
  return resolve(here, '..', '..', 'out', 'renderer')
}

/** The headless shell's UI part: the API service plus the HTTP/WebSocket server, for `serve`. */
export async function startHeadlessUi(
  bench: Bench,
  options: HeadlessUiOptions = {},
): Promise<{ api: BenchApiService; server: UiServer; close(): Promise<void> }> {
  const api = createApiService(bench, {
    shell: 'browser',
    version: options.version ?? '0.0.0',
    log: options.log,
    acsStartError: options.acsStartError,
  })
  try {
    const server = await startUiServer({
      api,
      rendererDir: options.rendererDir ?? defaultRendererDir(),
      host: options.host,
      port: options.port,
      token: options.token,
      requireToken: options.requireToken,
    })
    return {
      api,
      server,
      async close() {
        await server.close()
        await api.close()
      },
    }
  } catch (error) {
    await api.close()
    throw error
  }
}
