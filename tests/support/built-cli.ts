import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'bench-acs.js')

/** Newest modification time of the sources under a folder. */
function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds out/ (electron-vite) when it is missing or older than main/ (`npm test` builds first). */
export function ensureBuiltCli(): void {
  const built = [join(ROOT, 'out', 'main', 'cli.js'), join(ROOT, 'out', 'main', 'lua-worker.js')]
  const stale = built.some((f) => !existsSync(f) || statSync(f).mtimeMs < newestSource(join(ROOT, 'main')))
  if (!stale) return
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
  if (build.status !== 0) throw new Error('electron-vite build failed')
}

/** `bench-acs …` as a user runs it after `npm run build`: bin/bench-acs.js, its exit code and output. */
export function builtCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * A long-running process of the built command line: its output so far (stdout and stderr apart),
 * a wait for a pattern on stdout, and its exit (code or signal).
 */
export function spawnBuiltCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Resolves with the first match of `pattern` on stdout; rejects if the process exits first. */
    waitFor(pattern: RegExp): Promise<RegExpExecArray> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout)
          if (!match) return
          child.stdout.off('data', check)
          resolve(match)
        }
        child.stdout.on('data', check)
        void exited.then(() => {
          check()
          reject(new Error(`exited before printing ${pattern}:\n${stdout}\n${stderr}`))
        })
        check()
      })
    },
  }
}

/** `bench-acs serve` on a free loopback port with its own data folder; resolves once it listens. */
export async function startBuiltServe(dataDir: string, extra: string[] = []) {
  const serve = spawnBuiltCli(['serve', '--cwmp-port', '0', '--bind', '127.0.0.1', '--data', dataDir, ...extra])
  const url = (await serve.waitFor(/^ {2}(http:\/\/127\.0\.0\.1:\d+\/)$/m))[1]!
  await serve.waitFor(/Press Ctrl\+C to stop\./)
  return { ...serve, url }
}
