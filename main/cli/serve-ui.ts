import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isLoopback, startHeadlessUi } from '../ui-server'
import type { ServeExtension } from './serve'

/** The UI's usual port, so a bookmark keeps working; when taken, any free port is used instead. */
export const DEFAULT_UI_PORT = 7550

/** The package version, read from the package.json above the bundle or the sources. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'bench-acs') return pkg.version ?? '0.0.0'
    }
    dir = dirname(dir)
  }
  return '0.0.0'
}

/** `bench-acs serve` also serves the UI to a browser, with the API over a WebSocket. */
export const uiServeExtension: ServeExtension = {
  name: 'ui',
  options: {
    'ui-port': { type: 'string' },
    'ui-bind': { type: 'string' },
    'ui-token': { type: 'string' },
    'no-ui': { type: 'boolean' },
  },
  usage: [
    `  --ui-port N    port of the UI in your browser (default ${DEFAULT_UI_PORT}, or any free one when taken)`,
    '  --ui-bind ADDR address of the UI (default 127.0.0.1; any other address requires the access token)',
    '  --ui-token T   access token for a UI bound beyond this machine (default: a new random one)',
    '  --no-ui        run the ACS only',
  ],
  async start({ bench, values, print }) {
    if (values['no-ui']) return
    const host = typeof values['ui-bind'] === 'string' ? values['ui-bind'] : '127.0.0.1'
    const portText = typeof values['ui-port'] === 'string' ? values['ui-port'] : undefined
    if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65535))
      throw new Error(`--ui-port must be a port number (0–65535), got "${portText}"`)
    const token = typeof values['ui-token'] === 'string' ? values['ui-token'] : undefined
    const options = {
      host,
      token,
      version: packageVersion(),
      log: (level: 'info' | 'warn' | 'error', message: string) =>
        level === 'info' ? print(message) : console.error(message),
    }
    let ui
    try {
      ui = await startHeadlessUi(bench, {
        ...options,
        port: portText === undefined ? DEFAULT_UI_PORT : Number(portText),
      })
    } catch (error) {
      if (portText !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
      print(`Port ${DEFAULT_UI_PORT} is taken; the UI uses another one.`)
      ui = await startHeadlessUi(bench, { ...options, port: 0 })
    }
    print(`Open the UI in your browser: ${ui.server.url}`)
    if (!isLoopback(host))
      print(`The UI listens on ${host} and needs its access token (in the URL above): ${ui.server.token}`)
    return ui.close
  },
}
