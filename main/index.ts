// Electron entry: one hardened window and the IPC wiring around the same core as every shell.
import { app, BrowserWindow, ipcMain, session, type WebContents } from 'electron'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createApiService, type BenchApiService } from './api'
import { startAcs } from './api/services'
import { createBench, type Bench } from './core/bench'
import { wireIpc } from './electron/ipc'
import { CSP, rendererMatcher, windowOptions } from './electron/window'

const devServerUrl = process.env.ELECTRON_RENDERER_URL || undefined
const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url))
const rendererUrl = devServerUrl ?? pathToFileURL(rendererFile).href
const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
// DevTools only in development (electron-vite dev) or when asked for explicitly.
const devTools = Boolean(devServerUrl) || process.env.BENCH_ACS_DEVTOOLS === '1'
const isOurRenderer = rendererMatcher(rendererUrl)

let bench: Bench | undefined
let api: BenchApiService | undefined
let window: BrowserWindow | null = null

app.enableSandbox()
if (!app.requestSingleInstanceLock()) app.quit()

// Applies to every web contents ever created: no new windows, no navigation away, no webviews.
app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  // The renderer routes by hash, which is not a navigation: anything that is gets refused.
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

function hardenSession(): void {
  const s = session.defaultSession
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  s.setPermissionCheckHandler(() => false)
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
}

function openWindow(service: BenchApiService): void {
  const win = new BrowserWindow(windowOptions(preload, devTools))
  window = win
  const unwire = wireIpc(ipcMain, service, win.webContents, isOurRenderer)
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    unwire()
    window = null
  })
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadFile(rendererFile)
}

app.on('second-instance', () => {
  if (window) {
    if (window.isMinimized()) window.restore()
    window.focus()
  }
})

app.on('window-all-closed', () => app.quit())

let closing = false
app.on('will-quit', (event) => {
  if (closing || !bench) return
  closing = true
  event.preventDefault()
  void (api?.close() ?? Promise.resolve()).finally(() => void bench!.close().finally(() => app.quit()))
})

app
  .whenReady()
  .then(async () => {
    hardenSession()
    bench = await createBench({
      dataDir: process.env.BENCH_ACS_DATA || app.getPath('userData'),
      // Built by scripts/start.js for Electron's ABI; plain Node's build cannot load here.
      sqliteNativeBinding: process.env.BENCH_ACS_SQLITE_BINDING || undefined,
    })
    const acsStartError = await startAcs(bench, logLine)
    api = createApiService(bench, { shell: 'electron', version: app.getVersion(), log: logLine, acsStartError })
    openWindow(api)
  })
  .catch((error: unknown) => {
    logLine('error', `Bench ACS could not start: ${error instanceof Error ? error.stack : String(error)}`)
    app.exit(1)
  })

function logLine(level: 'info' | 'warn' | 'error', message: string): void {
  console[level === 'info' ? 'log' : level](`[bench-acs] ${message}`)
}
