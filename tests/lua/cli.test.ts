import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_SERIAL } from './helpers'

// `bench-acs run` as a script author's CI runs it: the built command line (out/main/cli.js, with
// the worker bundle out/main/lua-worker.js), a real ACS on a free port, simulated CPEs.

const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'bench-acs.js')
const dirs: string[] = []

/** Newest modification time of the main-process sources. */
function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` builds here when out/ is missing or older than main/.
  const built = [join(ROOT, 'out', 'main', 'cli.js'), join(ROOT, 'out', 'main', 'lua-worker.js')]
  const stale = built.some((f) => !existsSync(f) || statSync(f).mtimeMs < newestSource(join(ROOT, 'main')))
  if (stale) {
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
    if (build.status !== 0) throw new Error('electron-vite build failed')
  }
}, 120_000)

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function scriptFile(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'))
  dirs.push(dir)
  const file = join(dir, 'script.lua')
  writeFileSync(file, source)
  return file
}

const LOOPBACK = ['--cwmp-port', '0', '--bind', '127.0.0.1']

describe('bench-acs run', () => {
  it("runs the page's get_device example against a simulated CPE with the page's serial, exit code 0", async () => {
    const r = await cli([
      'run',
      join(ROOT, 'resources', 'scripts', 'oktopus-get-device.lua'),
      '--sim',
      '1',
      '--sim-prefix',
      'HUAWNFYC-35',
      '--sim-first',
      '454645',
      ...LOOPBACK,
    ])
    expect(r.stderr).toMatch(/ACS listening on http:\/\/127\.0\.0\.1:\d+\//)
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(7)
    expect(lines).toEqual(
      expect.arrayContaining([
        `sn: ${PAGE_SERIAL}`,
        // What the ACS learnt (DeviceInfo.ModelName, when the Inform carries it).
        expect.stringMatching(/^model: /),
        'vendor: Huawei Technologies Co., Ltd.',
        'version: V100R001IRQC56B017',
        'product_class: BM632w',
        'alias: ',
        'status: 2',
      ]),
    )
  })

  it('exits 1 with the error and its line on stderr when the script fails, streaming what it printed before', async () => {
    const file = scriptFile(
      'print("before")\nlog("warn", "about to fail")\nlocal d = get_device(DEVICE)\nprint(d.missing.field)\n',
    )
    const r = await cli(['run', file, '--sim', '1', '--device', 'SIM000001', ...LOOPBACK])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('before\n')
    expect(r.stderr).toContain('[warn] about to fail')
    expect(r.stderr).toContain("error: script.lua:4: attempt to index a nil value (field 'missing')")
  })

  it('runs once per device with --all, tagging each line, and reports the run as JSON', async () => {
    const file = scriptFile(
      'print(get_parameter_values(DEVICE, "InternetGatewayDevice.DeviceInfo.SerialNumber")["InternetGatewayDevice.DeviceInfo.SerialNumber"])\nreturn DEVICE',
    )
    const r = await cli(['run', file, '--sim', '2', '--all', '--json', ...LOOPBACK])
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines.filter((l) => l.startsWith('[SIM')).sort()).toEqual(['[SIM000001] SIM000001', '[SIM000002] SIM000002'])
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('\n[\n') + 1)) as {
      status: string
      result: string[]
      trigger: { kind: string }
    }[]
    expect(json.map((x) => [x.status, x.result[0], x.trigger.kind]).sort()).toEqual([
      ['ok', 'SIM000001', 'cli'],
      ['ok', 'SIM000002', 'cli'],
    ])
  })

  it('exits 2 when it cannot run', async () => {
    expect((await cli(['run', '/no/such/file.lua'])).code).toBe(2)
    const r = await cli(['run', scriptFile('print(1)'), '--device', 'NOT-HERE', '--timeout', '1', ...LOOPBACK])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('waiting for NOT-HERE to inform')
    expect(r.stderr).toContain('gave up waiting for NOT-HERE')
  })
})
