import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBench } from '../../main/core/bench'
import { builtCli, ensureBuiltCli } from '../support/built-cli'
import { PAGE_SERIAL } from './helpers'

// `bench-acs run` as a script author's CI runs it: the built command line (out/main/cli.js, with
// the worker bundle out/main/lua-worker.js), a real ACS on a free port, simulated CPEs.

const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'bench-acs.js')
const dirs: string[] = []

// `npm test` builds first; a bare `vitest run` builds here when out/ is missing or older than main/.
beforeAll(() => ensureBuiltCli(), 120_000)

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const cli = builtCli

/** Re-reads a value until it passes the test (a condition in another process, e.g. its database). */
async function until<T>(read: () => T, test: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (test(value)) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 20))
  }
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
    // Lua 5.1's wording (the default dialect), as lua5.1 prints it.
    expect(r.stderr).toContain("error: script.lua:4: attempt to index field 'missing' (a nil value)")
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

  it("reads the app's environment named with --env, prints secrets as ••••, and exits 2 on an unknown one", async () => {
    const data = mkdtempSync(join(tmpdir(), 'bench-cli-env-'))
    dirs.push(data)
    const app = await createBench(
      { dataDir: data, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, scripts: { seedExamples: false } },
    )
    try {
      app.scripts.environments.create({
        name: 'Customer A',
        variables: [
          { name: 'SSID', value: 'CustA' },
          { name: 'WIFI_KEY', value: 'cli-key-4242', secret: true },
        ],
      })
    } finally {
      await app.close()
    }
    const file = scriptFile('print(env.SSID, env.WIFI_KEY)\nprint(env.NOPE == nil)\n')
    const r = await cli(['run', file, '--data', data, '--env', 'Customer A', ...LOOPBACK])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('CustA\t••••\ntrue\n')
    const unknown = await cli(['run', file, '--data', data, '--env', 'Lab', ...LOOPBACK])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no environment named "Lab"')
  })

  it("leaves a run killed with the process marked as interrupted at the next start, and another process's running run alone", async () => {
    const data = mkdtempSync(join(tmpdir(), 'bench-cli-data-'))
    dirs.push(data)
    const listener = spawn(
      process.execPath,
      [BIN, 'run', scriptFile('print("ready")\nwhile true do sleep(60000) end'), '--data', data, ...LOOPBACK],
      { cwd: ROOT },
    )
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      listener.on('exit', (_code, signal) => resolve(signal)),
    )
    try {
      await new Promise<void>((resolve) => {
        let out = ''
        listener.stdout.on('data', (c: Buffer) => {
          out += c.toString()
          if (out.includes('ready\n')) resolve()
        })
      })
      const db = new Database(join(data, 'bench.sqlite'), { readonly: true, fileMustExist: true })
      const run = () =>
        db.prepare("SELECT id, status, error FROM runs WHERE script_name = 'script.lua'").get() as {
          id: string
          status: string
          error: string | null
        }
      try {
        // What it printed is in the database while it runs (written within a fraction of a second).
        await until(
          () => db.prepare('SELECT count(*) AS n FROM run_output').get() as { n: number },
          (r) => r.n > 0,
        )
        expect(run().status).toBe('running')

        // A second process on the same data folder (bench-acs run --data with the app's folder)
        // must not take the first one's live run for a crashed one.
        const other = await cli(['run', scriptFile('print("other")'), '--data', data, ...LOOPBACK])
        expect(other.code).toBe(0)
        expect(run()).toMatchObject({ status: 'running', error: null })
      } finally {
        db.close()
      }

      listener.kill('SIGKILL')
      expect(await exited).toBe('SIGKILL')
    } finally {
      listener.kill('SIGKILL')
    }

    // The next start on that folder settles it, and keeps what it printed.
    const bench = await createBench(
      { dataDir: data, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, scripts: { seedExamples: false } },
    )
    try {
      const [killed] = bench.scripts.runs({ status: ['killed'] })
      expect(killed).toMatchObject({
        scriptName: 'script.lua',
        status: 'killed',
        error: { reason: 'crashed', message: 'the app stopped while this run was active; it did not finish' },
      })
      expect(killed!.endedAt).not.toBeNull()
      expect(bench.scripts.output(killed!.id).map((l) => l.text)).toEqual(['ready'])
      expect(bench.scripts.active()).toEqual([])
      const synced = bench.store.outbox
        .after(0, 1000)
        .filter((r) => r.topic === 'run' && r.key === killed!.id)
        .map((r) => (r.payload as { status: string }).status)
      expect(synced).toEqual(['queued', 'running', 'killed'])
    } finally {
      await bench.close()
    }
  })

  it("does not fire the library's triggers of the data folder it runs on (the app fires them)", async () => {
    const data = mkdtempSync(join(tmpdir(), 'bench-cli-data-'))
    dirs.push(data)
    const app = await createBench(
      { dataDir: data, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, scripts: { seedExamples: false } },
    )
    const script = app.scripts.create({ name: 'every second', source: 'return 1' })
    app.scripts.createTrigger(script.id, { kind: 'schedule', cron: '* * * * * *' })
    await app.close()

    // Long enough for an every-second schedule to come due at least once.
    const r = await cli(['run', scriptFile('sleep(1100)\nprint("done")'), '--data', data, ...LOOPBACK])
    expect(r.code).toBe(0)
    const db = new Database(join(data, 'bench.sqlite'), { readonly: true })
    try {
      expect(db.prepare('SELECT script_name FROM runs').all()).toEqual([{ script_name: 'script.lua' }])
    } finally {
      db.close()
    }
  })

  it('stops cleanly when the reader of its output goes away (| head), removing its temporary data', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'run', scriptFile('for i = 1, 1000000 do print("line " .. i) sleep(0) end'), ...LOOPBACK],
      { cwd: ROOT },
    )
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const code = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    // Like `head -1`: read the first line, then close the pipe.
    await new Promise<void>((resolve) =>
      child.stdout.once('data', () => {
        child.stdout.destroy()
        resolve()
      }),
    )
    expect(await code).toBe(1)
    expect(stderr).not.toMatch(/EPIPE|Unhandled/)
    expect(stderr).toContain('killed: script stopped by the user')
    const data = /data in (\S+), deleted at exit/.exec(stderr)![1]!
    expect(existsSync(data)).toBe(false)
  })

  it('exits 2 when it cannot run', async () => {
    expect((await cli(['run', '/no/such/file.lua'])).code).toBe(2)
    const r = await cli(['run', scriptFile('print(1)'), '--device', 'NOT-HERE', '--timeout', '1', ...LOOPBACK])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('waiting for NOT-HERE to inform')
    expect(r.stderr).toContain('gave up waiting for NOT-HERE')
  })
})
