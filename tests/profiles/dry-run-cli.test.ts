import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBench } from '../../main/core/bench'
import type { DryRunReport } from '../../main/core/dry-run'
import { startSimulator } from '../../main/core/sim'
import { testImage } from '../files/helpers'
import { builtCli, ensureBuiltCli } from '../support/built-cli'

// `bench-acs run --profile` as a technician runs it: the built command line on a data folder
// that knows a real device (a simulated CPE that informed a bench on that folder, then went away).
// The dry run must report each step and leave every table of that folder as it was.

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'
const INTERVAL = 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval'
const PROFILE = {
  name: 'lab',
  match: { productClass: 'BM632w' },
  when: { events: ['0 BOOTSTRAP'] },
  steps: [{ firmware: '2.0.1' }, { set: { [SSID]: 'bench-lab' } }, { set: { [INTERVAL]: 600 } }],
}
/** Every table a run, a session, a fetch or a sync record would write to. */
const TABLES = [
  'devices',
  'parameters',
  'events',
  'outbox',
  'profile_runs',
  'profile_marks',
  'file_fetches',
  'library_files',
  'acs_transfers',
  'runs',
]

const dirs: string[] = []
beforeAll(ensureBuiltCli, 180_000)
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A data folder with device REAL000001 (its SSID already "bench-lab"), the image of 2.0.1 and the profile. */
async function dataFolder(): Promise<{ dir: string; serial: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dryrun-cli-'))
  dirs.push(dir)
  const bench = await createBench(
    { dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1' }, connectionRequest: { username: 'cr', password: 'cr' } },
    { log: () => {}, scripts: { seedExamples: false } },
  )
  const address = await bench.acs.listen()
  const fleet = await startSimulator({ acsUrl: address.url, serialPrefix: 'REAL', periodicInformInterval: 0 })
  const serial = fleet.cpes[0]!.serial
  await bench.acs.execute(serial, {
    method: 'SetParameterValues',
    parameterList: [{ name: SSID, value: 'bench-lab', type: 'xsd:string' }],
    parameterKey: '',
  })
  await bench.files.library.add(
    { name: 'fw-2.0.1.bin', content: testImage('2.0.1', 'BM632w', 50_000) },
    { version: '2.0.1', productClass: 'BM632w' },
  )
  bench.profiles.save({ ...PROFILE, enabled: false })
  await fleet.stop()
  await bench.close()
  return { dir, serial }
}

function tables(dir: string): Record<string, unknown[]> {
  const db = new Database(join(dir, 'bench.sqlite'), { readonly: true })
  try {
    return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]))
  } finally {
    db.close()
  }
}

describe('bench-acs run --profile (dry run)', () => {
  it('prints each step of a firmware + set values profile on a stand-in of the device, and the folder is unchanged', async () => {
    const { dir, serial } = await dataFolder()
    const before = tables(dir)
    expect(before.devices).toHaveLength(1)
    expect(before.profile_runs).toEqual([])

    const r = await builtCli(['run', '--profile', 'lab', '--serial', serial, '--data', dir])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      new RegExp(
        `^Dry run of profile "lab" v1 on a simulated BM632w \\(.*\\) standing in for ${serial} with \\d+ of its stored values; the device itself was not contacted and nothing was stored$`,
      ),
    )
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^ {2}1 {2}WOULD APPLY {2}firmware 2\.0\.1: V100R001IRQC56B017 → 2\.0\.1 \(fw-2\.0\.1\.bin\)$/,
      ),
      `  2  HELD         set ${SSID} = bench-lab: every value is already as wanted`,
      `  3  WOULD APPLY  set ${INTERVAL} = 600: set ${INTERVAL}`,
      'Dry run done: 2 would apply, 1 already holds, 0 would fail.',
    ])
    expect(r.stderr).toContain('Starting a simulated BM632w')
    expect(tables(dir)).toEqual(before)

    const json = await builtCli(['run', '--profile', 'lab', '--serial', serial, '--data', dir, '--json'])
    expect(json.code, json.stderr).toBe(0)
    const report = JSON.parse(json.stdout) as DryRunReport
    expect(report).toMatchObject({ dryRun: true, device: serial, state: 'done', profileVersion: 1 })
    expect(report.steps.map((s) => s.outcome)).toEqual(['would-apply', 'held', 'would-apply'])
    expect(tables(dir)).toEqual(before)
  }, 120_000)

  it('a profile file whose firmware the library lacks: WOULD FAIL with the reason, exit 1; bad targets exit 2', async () => {
    const { dir, serial } = await dataFolder()
    const before = tables(dir)
    const file = join(dir, 'next.json')
    writeFileSync(file, JSON.stringify({ ...PROFILE, name: 'next', steps: [{ firmware: '3.0' }, PROFILE.steps[2]] }))

    const r = await builtCli(['run', '--profile', file, '--product-class', 'BM632w', '--data', dir])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toContain('Dry run of profile "next" (from a file) on a simulated BM632w')
    expect(r.stdout).toContain(
      '  1  WOULD FAIL   firmware 3.0: the library has no firmware image of version 3.0 for product class "BM632w" (bench-acs files add IMAGE --version 3.0)',
    )
    expect(r.stdout).toContain(`  2  NOT REACHED  set ${INTERVAL} = 600: a real run stops at step 1, which would fail`)

    const unknown = await builtCli(['run', '--profile', 'nope', '--serial', serial, '--data', dir])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('There is no profile "nope" (bench-acs profiles list shows them).')
    const ghost = await builtCli(['run', '--profile', 'lab', '--serial', 'GHOST', '--data', dir])
    expect(ghost.code).toBe(2)
    expect(ghost.stderr).toContain('There is no device "GHOST" in this bench (bench-acs devices lists them).')
    const misfit = await builtCli(['run', '--profile', 'lab', '--product-class', 'HG8245', '--data', dir])
    expect(misfit.code).toBe(2)
    expect(misfit.stderr).toContain('Profile "lab" does not match a simulated HG8245: productClass "BM632w" ≠ "HG8245"')
    const noProfile = await builtCli(['run', '--serial', serial, '--data', dir])
    expect(noProfile.code).toBe(2)
    expect(noProfile.stderr).toContain('--serial and --product-class go with --profile')
    expect(tables(dir)).toEqual(before)
  }, 120_000)
})
