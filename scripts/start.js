#!/usr/bin/env node
// `npm start`: opens the desktop window with Electron. Electron's binary is fetched on first use
// (electron's own install.js); where that cannot work (no internet, unsupported platform) this
// says so and starts the headless mode instead, which serves the same UI to a browser.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const electronDir = join(root, 'node_modules', 'electron')
const extraArgs = process.argv.slice(2)

function headless(reason) {
  console.log(`\n[bench-acs] ${reason}`)
  console.log('[bench-acs] Starting the headless mode instead: the same app, in your browser.\n')
  const child = spawn(process.execPath, [join(root, 'bin', 'bench-acs.js'), 'serve', ...extraArgs], {
    stdio: 'inherit',
  })
  child.on('exit', (code) => process.exit(code ?? 0))
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
}

function electronBinary() {
  if (!existsSync(join(electronDir, 'package.json'))) return { error: 'the electron package is not installed' }
  const pathFile = join(electronDir, 'path.txt')
  const installed = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')))
  if (!installed()) {
    console.log('[bench-acs] Fetching the Electron binary (first start only)…')
    const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
      stdio: 'inherit',
      timeout: 300_000,
    })
    if (result.status !== 0 || !installed()) {
      return { error: "Electron's binary could not be downloaded (no internet access, or a proxy blocks it)" }
    }
  }
  return { path: join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) }
}

// better-sqlite3 is a native module built for Node's ABI; Electron needs its own build. Build a
// copy once per Electron version into node_modules/.cache so plain Node keeps working too.
function sqliteForElectron() {
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
  const cacheDir = join(
    root,
    'node_modules',
    '.cache',
    'bench-acs',
    `better-sqlite3-electron-${version}-${process.arch}`,
  )
  const binding = join(cacheDir, 'build', 'Release', 'better_sqlite3.node')
  if (existsSync(binding)) return { path: binding }
  const npmCli = process.env.npm_execpath
  const nodeGyp = npmCli ? join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js') : ''
  if (!nodeGyp || !existsSync(nodeGyp))
    return { error: 'node-gyp (bundled with npm) was not found; run this through `npm start`' }
  console.log(`[bench-acs] Building the SQLite module for Electron ${version} (first start only)…`)
  rmSync(cacheDir, { recursive: true, force: true })
  mkdirSync(cacheDir, { recursive: true })
  const source = dirname(require.resolve('better-sqlite3/package.json'))
  cpSync(source, cacheDir, { recursive: true, filter: (p) => !p.includes(`${source}/build`) })
  const env = { ...process.env }
  delete env.npm_config_nodedir
  const result = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${version}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: cacheDir, stdio: 'inherit', env, timeout: 900_000 },
  )
  if (result.status !== 0 || !existsSync(binding)) return { error: 'the SQLite module could not be built for Electron' }
  return { path: binding }
}

if (process.env.BENCH_ACS_HEADLESS === '1') {
  headless('BENCH_ACS_HEADLESS=1 is set.')
} else {
  const electron = electronBinary()
  if (electron.error) {
    headless(`Electron is not available: ${electron.error}.`)
  } else {
    const sqlite = sqliteForElectron()
    if (sqlite.error) {
      headless(`The desktop window cannot start: ${sqlite.error}.`)
    } else {
      const child = spawn(electron.path, [root, ...extraArgs], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_ACS_SQLITE_BINDING: sqlite.path },
      })
      child.on('error', (error) => headless(`Electron failed to start: ${error.message}.`))
      child.on('exit', (code, signal) => {
        if (code !== 0 && code !== null && signal === null)
          console.error(`[bench-acs] Electron exited with code ${code}.`)
        process.exit(code ?? 0)
      })
    }
  }
}
