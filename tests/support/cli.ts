import { spawn } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

/** `bench-acs …` as a user runs it: a real process (the sources through tsx), its exit code and output. */
export function runCliFromSources(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main', 'cli.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => resolve({ code, out, err }))
  })
}
