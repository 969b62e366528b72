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

/**
 * A long-running `bench-acs …` process (the sources through tsx) with its standard input open:
 * what it printed so far, a wait for a line, typing a line, and its exit code. Kill it when done.
 */
export function spawnCliFromSources(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main', 'cli.ts'), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    exited,
    output: () => output,
    type: (line: string) => child.stdin.write(`${line}\n`),
    waitFor: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return
          child.stdout.off('data', check)
          resolve(output)
        }
        child.stdout.on('data', check)
        child.on('exit', () => reject(new Error(`exited before printing ${pattern}:\n${output}`)))
        check()
      }),
  }
}
