import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../preload/api'
import { STORED_CONFIG_KEY } from '../../main/core/settings'
import { openBenchStore, databaseFile } from '../../main/core/database'

// The Electron binary cannot run here, so the BUILT main bundle runs in a child Node process with
// `electron` resolved to a recording stand-in (fixtures/fake-electron.mjs); `npm test` builds first.
const root = resolve(__dirname, '..', '..')
const bundle = join(root, 'out', 'main', 'index.js')
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON printed by the child process
function runMain(dataDir: string): Promise<Record<string, any>> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [
        '--import',
        join(__dirname, 'fixtures', 'electron-register.mjs'),
        join(__dirname, 'fixtures', 'electron-harness.mjs'),
        bundle,
      ],
      {
        env: { ...process.env, BENCH_ACS_DATA: dataDir, ELECTRON_RENDERER_URL: '', BENCH_ACS_DEVTOOLS: '' },
        timeout: 25_000,
      },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
        if (!line) return reject(new Error(`no result (${error?.message ?? ''})\n${stdout}\n${stderr}`))
        resolvePromise(JSON.parse(line.slice('RESULT '.length)))
      },
    )
  })
}

describe('Electron main bundle (out/main/index.js) against a stand-in for Electron', () => {
  it('opens one hardened window and guards navigation, permissions and IPC', async () => {
    expect(existsSync(bundle), 'run `npm run build` first').toBe(true)
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-electron-'))
    dirs.push(dataDir)
    // The ACS listener must not take 0.0.0.0:7547 in a test: settings saved in the store apply at start.
    const store = openBenchStore(databaseFile(dataDir))
    store.settings.set(STORED_CONFIG_KEY, { cwmp: { port: 0, bind: '127.0.0.1' } })
    store.close()

    const r = await runMain(dataDir)
    expect(r.windows).toBe(1)
    expect(r.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    })
    expect(r.sandboxEnabled).toBe(true)
    expect(r.preloadExists).toBe(true)
    expect(r.preloadIsCjs).toBe(true)
    expect(r.preloadRequires).toEqual(['electron'])
    expect(r.loaded).toBe('file')
    expect(r.rendererFileExists).toBe(true)

    // Strict CSP on the page (meta, for file://) and on any HTTP response (header).
    for (const csp of [r.metaCsp, r.cspHeader]) {
      expect(csp).toContain("default-src 'self'")
      expect(csp).not.toContain('unsafe-eval')
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    }
    expect(r.cspHeader).toContain("script-src 'self'")
    expect(r.otherHeaderKept).toBe(true)

    expect(r.windowOpen).toEqual({ action: 'deny' })
    expect(r.navigateAwayPrevented).toBe(true)
    expect(r.navigateFilePrevented).toBe(true)
    expect(r.redirectPrevented).toBe(true)
    expect(r.webviewPrevented).toBe(true)
    expect(r.permissions).toEqual({ media: false, geolocation: false, notifications: false })
    expect(r.permissionCheck).toBe(false)

    // Only the allowlisted API channels exist; only our renderer's frame in our window may call them.
    expect([...r.ipcChannels].sort()).toEqual(CHANNELS.map((c) => `bench:${c}`).sort())
    expect(r.ipcFromRenderer).toMatchObject({ ok: true, value: { shell: 'electron', version: '0.0.0-test' } })
    for (const denied of [r.ipcFromOtherPage, r.ipcFromOtherFile, r.ipcWithoutFrame, r.ipcFromOtherContents]) {
      expect(denied).toMatchObject({ ok: false, error: { name: 'ForbiddenError' } })
    }
    // Streams reach the window as (stream, batch), only for streams it subscribed to itself.
    expect(r.streamSends).toEqual([{ channel: 'bench-stream', stream: 'acs.status', isArray: true }])
    expect(r.quit).toBe('quit')
  })
})
