import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * genieacs-sim (https://github.com/zaidka/genieacs-sim, MIT), a real third-party CPE simulator,
 * kept unmodified in ../shared/peers/genieacs-sim beside the checkout. CI lays that folder read-only, so each test
 * file copies it to a temp folder and installs its one dependency (commander) there from the npm
 * registry: about 1 s, done in the test file's beforeAll rather than a global setup, so only the
 * tests that use it pay for it.
 */
/** Beside the checkout (../shared, as on the developers' machines and in CI), unless GENIEACS_SIM_DIR says. */
export const GENIEACS_SIM_SOURCE =
  process.env.GENIEACS_SIM_DIR ?? resolve(__dirname, '..', '..', '..', 'shared', 'peers', 'genieacs-sim')

export function installGenieacsSim(): string {
  if (!existsSync(join(GENIEACS_SIM_SOURCE, 'genieacs-sim')))
    throw new Error(`genieacs-sim is not at ${GENIEACS_SIM_SOURCE}: set GENIEACS_SIM_DIR to a copy of it`)
  const dir = mkdtempSync(join(tmpdir(), 'genieacs-sim-'))
  cpSync(GENIEACS_SIM_SOURCE, dir, { recursive: true })
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: dir, stdio: 'pipe' })
  return dir
}

export interface GenieacsSim {
  process: ChildProcess
  /** Everything it printed, one entry per line. */
  lines: string[]
  /** Lines of its cluster master saying a simulated CPE process died (it restarts them 10 s later). */
  deaths(): string[]
  stop(): Promise<void>
  remove(): void
}

/** Starts `count` simulated CPEs (serials 000000…) against the ACS, as its README says. */
export function startGenieacsSim(dir: string, acsUrl: string, count: number): GenieacsSim {
  const child = spawn(process.execPath, ['genieacs-sim', '-u', acsUrl, '-p', String(count), '-w', '50'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
  child.stdout!.on('data', collect)
  child.stderr!.on('data', collect)
  return {
    process: child,
    lines,
    deaths: () => lines.filter((l) => / died \(/.test(l)),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        // The cluster master takes its workers down with it.
        child.kill('SIGTERM')
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
