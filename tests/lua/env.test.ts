import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { databaseFile } from '../../main/core/database'
import { ScriptInputError } from '../../main/core/scripts'
import { SECRET_PLACEHOLDER } from '../../main/core/settings'
import { startBench, stdout, type TestBench } from './helpers'

// Script environments: named variables a run reads through the read-only global `env`, in the
// real Lua runtime (a worker per run) on a real SQLite file. Secrets never reach the output.

const KEY = 'Wifi-Key-8b1f!'

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

async function run(source: string, env?: string) {
  const [r] = t!.bench.scripts.runSource({ name: 'env test', source, ...(env ? { env } : {}) })
  const done = await t!.bench.scripts.wait(r!.id)
  return { run: done, lines: stdout(t!.bench, done.id) }
}

function customerA() {
  return t!.bench.scripts.environments.create({
    name: 'Customer A',
    variables: [
      { name: 'SSID', value: 'CustA-5G' },
      { name: 'WIFI_KEY', value: KEY, secret: true },
    ],
  })
}

describe('env in scripts', () => {
  it('reads the chosen environment; an undefined variable is nil; pairs lists them', async () => {
    t = await startBench()
    customerA()
    const { run: r, lines } = await run(
      `
      print("ssid", env.SSID)
      print("undefined", env.NOPE == nil, env.ssid == nil)
      local names = {}
      for k in pairs(env) do names[#names + 1] = k end
      table.sort(names)
      print("names", table.concat(names, ","))
      print("key length", #env.WIFI_KEY)
      `,
      'customer a',
    )
    expect(r.status).toBe('ok')
    expect(lines).toEqual([
      'ssid\tCustA-5G',
      'undefined\ttrue\ttrue',
      'names\tSSID,WIFI_KEY',
      `key length\t${KEY.length}`,
    ])
  })

  it('refuses assignments with a clear error at the line', async () => {
    t = await startBench()
    customerA()
    const { run: r } = await run('local ok = 1\nenv.SSID = "other"\n', 'Customer A')
    expect(r.status).toBe('error')
    expect(r.error?.message).toMatch(/env is read-only: env\.SSID cannot be set/)
    expect(r.error?.line).toBe(2)
    const { run: r2 } = await run('env.NEW = 1\n', 'Customer A')
    expect(r2.error?.message).toMatch(/env is read-only: env\.NEW/)
    // A script (ported from elsewhere) with its own global named env replaces the table: no error.
    const own = await run('env = { mode = "prod" }\nprint(env.mode)\n', 'Customer A')
    expect(own.lines).toEqual(['prod'])
  })

  it('is an empty table with no environment; the default one is used when none is named', async () => {
    t = await startBench()
    const none = await run('print(type(env), env.SSID == nil, next(env) == nil)')
    expect(none.lines).toEqual(['table\ttrue\ttrue'])
    expect(none.run.env).toBeUndefined()
    const a = customerA()
    t.bench.scripts.environments.create({ name: 'Lab', isDefault: true, variables: [{ name: 'SSID', value: 'lab' }] })
    expect((await run('print(env.SSID)')).lines).toEqual(['lab'])
    // Making another one the default takes it from the first.
    t.bench.scripts.environments.update(a.id, { name: 'Customer A', isDefault: true, variables: a.variables })
    expect(t.bench.scripts.environments.list().map((e) => [e.name, e.isDefault])).toEqual([
      ['Customer A', true],
      ['Lab', false],
    ])
    expect((await run('print(env.SSID)')).lines).toEqual(['CustA-5G'])
    expect(() => t!.bench.scripts.runSource({ name: 'x', source: 'return 1', env: 'Nope' })).toThrow(ScriptInputError)
    expect(() => t!.bench.scripts.runSource({ name: 'x', source: 'return 1', env: 'Nope' })).toThrow(
      /no environment named "Nope"/,
    )
  })

  it('masks secrets in output (live and stored), log, result, error and the database file', async () => {
    t = await startBench()
    customerA()
    const live: string[] = []
    const off = t.bench.events.on('run.output', ({ lines }) => live.push(...lines.map((l) => l.text)))
    const { run: r, lines } = await run(
      `
      print(env.WIFI_KEY)
      print("key=" .. env.WIFI_KEY .. " ssid=" .. env.SSID)
      log("info", "using " .. env.WIFI_KEY)
      return env.WIFI_KEY, { key = env.WIFI_KEY }
      `,
      'Customer A',
    )
    off()
    expect(r.status).toBe('ok')
    expect(lines).toEqual(['••••', 'key=•••• ssid=CustA-5G'])
    expect(r.result).toEqual(['••••', { key: '••••' }])
    expect(live.join('\n')).not.toContain(KEY)
    expect(live).toContain('••••')
    const stored = t.bench.scripts.getRun(r.id)!
    expect(stored.env).toBe('Customer A')
    expect(JSON.stringify(stored)).not.toContain(KEY)
    expect(JSON.stringify(t.bench.scripts.output(r.id))).toContain('using ••••')

    const failed = await run('error("bad key " .. env.WIFI_KEY)', 'Customer A')
    expect(failed.run.status).toBe('error')
    expect(failed.run.error?.message).toContain('bad key ••••')
    expect(JSON.stringify(t.bench.scripts.getRun(failed.run.id))).not.toContain(KEY)

    // Nothing of the runs holds the secret in the SQLite file: only the environment's own row.
    const db = new Database(databaseFile(t.dir), { readonly: true, fileMustExist: true })
    try {
      const like = `%${KEY}%`
      const count = (sql: string) => (db.prepare(sql).get(like) as { n: number }).n
      expect(count('SELECT count(*) AS n FROM run_output WHERE text LIKE ?')).toBe(0)
      expect(
        count("SELECT count(*) AS n FROM runs WHERE coalesce(result, '') || coalesce(error, '') || calls LIKE ?"),
      ).toBe(0)
      expect(count('SELECT count(*) AS n FROM events WHERE summary LIKE ?')).toBe(0)
      expect(count('SELECT count(*) AS n FROM script_env_vars WHERE value LIKE ?')).toBe(1)
    } finally {
      db.close()
    }
  })

  it('shows secrets masked and keeps them when the placeholder is sent back', async () => {
    t = await startBench()
    const a = customerA()
    expect(a.variables).toEqual([
      { name: 'SSID', value: 'CustA-5G', secret: false },
      { name: 'WIFI_KEY', value: SECRET_PLACEHOLDER, secret: true },
    ])
    const envs = t.bench.scripts.environments
    // The form sent back unchanged (placeholder), with a new variable: the key is kept.
    envs.update(a.id, { name: 'Customer A', variables: [...a.variables, { name: 'VLAN', value: '35' }] })
    const kept = await run('print(env.WIFI_KEY == "' + KEY + '", env.VLAN)', 'Customer A')
    expect(kept.lines).toEqual(['true\t35'])
    // A new value replaces it.
    envs.update(a.id, { name: 'Customer A', variables: [{ name: 'WIFI_KEY', value: 'new-key-123', secret: true }] })
    expect((await run('print(env.WIFI_KEY == "new-key-123", env.SSID)', 'Customer A')).lines).toEqual(['true\tnil'])
    expect(() =>
      envs.update(a.id, {
        name: 'Customer A',
        variables: [{ name: 'WIFI_KEY', value: SECRET_PLACEHOLDER, secret: false }],
      }),
    ).toThrow(/type its value again/)
    expect(() => envs.create({ name: 'B', variables: [{ name: '1BAD', value: 'x' }] })).toThrow(/not a valid name/)
    expect(() => envs.create({ name: 'customer a', variables: [] })).toThrow(/already exists/)
  })

  it('gives a batch the chosen environment, and a trigger the default one', async () => {
    t = await startBench()
    const fleet = await t.sims({ count: 2, serialPrefix: 'ENV' })
    customerA()
    t.bench.scripts.environments.create({ name: 'Lab', isDefault: true, variables: [{ name: 'SSID', value: 'lab' }] })
    const s = t.bench.scripts
    const script = s.create({ name: 'ssid', source: 'print(DEVICE, env.SSID, env.WIFI_KEY)' })
    const runs = s.run(script.id, { target: { kind: 'all' }, env: 'Customer A' })
    expect(runs).toHaveLength(2)
    expect(runs[0]!.batchId).not.toBeNull()
    const batch = await Promise.all(runs.map((r) => s.wait(r.id)))
    expect(batch.map((r) => stdout(t!.bench, r.id)[0]).sort()).toEqual([
      `${fleet.cpes[0]!.serial}\tCustA-5G\t••••`,
      `${fleet.cpes[1]!.serial}\tCustA-5G\t••••`,
    ])

    const trigger = s.createTrigger(script.id, { kind: 'event', events: ['1'] })
    await fleet.cpes[0]!.inform(['1 BOOT'])
    const fired = await vi.waitFor(
      () => {
        const run = s.runs({ scriptId: script.id }).find((r) => r.trigger.triggerId === trigger.id)
        if (!run || run.endedAt === null) throw new Error('the trigger has not run yet')
        return run
      },
      { timeout: 20_000, interval: 50 },
    )
    expect(stdout(t.bench, fired.id)).toEqual([`${fleet.cpes[0]!.serial}\tlab\tnil`])
  })
})
