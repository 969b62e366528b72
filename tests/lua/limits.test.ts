import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord, ScriptLimits } from '../../main/core/lua'
import { nextEvent, startBench, stdout, type TestBench } from './helpers'

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

interface Case {
  what: string
  source: string
  limits?: Partial<ScriptLimits>
  status: RunRecord['status']
  reason?: string
  message: RegExp
}

const CASES: Case[] = [
  {
    what: 'an empty infinite loop',
    source: 'while true do end',
    limits: { cpuMs: 300 },
    status: 'killed',
    reason: 'cpu',
    message:
      /^script stopped: it ran Lua for more than 300 ms without waiting on a device, a timer or an event \(limits\.cpuMs\)/,
  },
  {
    what: 'an infinite loop that swallows errors with pcall',
    source:
      'local n = 0\nwhile true do\n  pcall(function() while true do n = n + 1 end end)\n  pcall(error, "again")\nend',
    limits: { cpuMs: 300 },
    status: 'killed',
    reason: 'cpu',
    message: /limits\.cpuMs/,
  },
  {
    what: 'a 1 GB string.rep (refused up front)',
    source: 'local s = string.rep("x", 1024 * 1024 * 1024)\nprint(#s)',
    status: 'error',
    message:
      /^test:1: string\.rep would build a string of 1073741824 bytes, over the 16777216-byte limit for one string \(limits\.maxStringBytes\)$/,
  },
  {
    what: 'a 1 GB string.rep allowed by the string limit (one library call that runs away)',
    source: 'local s = string.rep("x", 1024 * 1024 * 1024)\nprint(#s)',
    limits: { maxStringBytes: 1024 * 1024 * 1024, libraryCallMs: 500 },
    status: 'killed',
    reason: 'library-call',
    message: /^script stopped: one library call ran for more than 500 ms without returning \(limits\.libraryCallMs\)/,
  },
  {
    what: 'a table that grows without end',
    source: 'local t, i = {}, 0\nwhile true do\n  i = i + 1\n  t[i] = { i, tostring(i) }\nend',
    limits: { memoryMb: 64, cpuMs: 600_000 },
    status: 'killed',
    reason: 'memory',
    message: /^script stopped: it used more than 64 MiB of memory \(limits\.memoryMb\)$/,
  },
  {
    what: 'a string that doubles without end',
    source: 'local s = "x"\nwhile true do s = s .. s end',
    status: 'killed',
    reason: 'memory',
    message: /^script stopped: it tried to build a string of \d+ bytes, over the 16777216-byte limit for one string/,
  },
  {
    what: 'output without end',
    source: 'while true do print(("x"):rep(100)) end',
    limits: { outputBytes: 4096 },
    status: 'killed',
    reason: 'output',
    message: /^script stopped: it printed more than 4 KiB of output \(limits\.outputBytes\)$/,
  },
  {
    what: 'a run past its wall time',
    source: 'while true do sleep(50) end',
    limits: { wallMs: 300 },
    status: 'timeout',
    message: /^script stopped: it ran longer than its time limit of 300 ms \(limits\.wallMs\)$/,
  },
]

describe('limits', () => {
  it('stops each runaway script at its limit with a clear reason, while the ACS keeps serving CPEs and other runs', async () => {
    t = await startBench()
    const [cpe] = (await t.sims({ count: 1 })).cpes
    const scripts = t.bench.scripts
    const sessionsBefore = cpe!.sessions

    const running = new Set<string>()
    const allRunning = new Promise<void>((resolve) => {
      const off = t!.bench.events.on('run.started', ({ run }) => {
        if (run.status === 'running') running.add(run.id)
        if (running.size === CASES.length) {
          off()
          resolve()
        }
      })
    })
    const runs = CASES.map(
      (c) => scripts.runSource({ name: 'test', source: c.source, ...(c.limits ? { limits: c.limits } : {}) })[0]!,
    )
    await allRunning

    // While they burn CPU, memory and output: a CPE session completes, and a well-behaved script
    // reads from the CPE through the ACS.
    await cpe!.inform(['2 PERIODIC'])
    const [good] = scripts.runSource({
      name: 'good',
      source: `local v, err = get_parameter_values("${cpe!.serial}", "InternetGatewayDevice.DeviceInfo.SoftwareVersion")\nprint(v and v["InternetGatewayDevice.DeviceInfo.SoftwareVersion"] or tostring(err))`,
    })

    const results = await Promise.all(runs.map((r) => scripts.wait(r.id)))
    results.forEach((run, i) => {
      const c = CASES[i]!
      expect(run.status, c.what).toBe(c.status)
      expect(run.error?.message, c.what).toMatch(c.message)
      if (c.reason) expect(run.error?.reason, c.what).toBe(c.reason)
    })
    const goodRun = await scripts.wait(good!.id)
    expect(goodRun.status).toBe('ok')
    expect(stdout(t.bench, good!.id)).toEqual([cpe!.get('InternetGatewayDevice.DeviceInfo.SoftwareVersion')])

    // And after them.
    await cpe!.inform(['2 PERIODIC'])
    expect(cpe!.sessions).toBeGreaterThanOrEqual(sessionsBefore + 3)
    expect(scripts.active()).toEqual([])
    // The output limit kept what fit.
    const flood = results[CASES.findIndex((c) => c.reason === 'output')]!
    expect(flood.outputBytes).toBeLessThanOrEqual(4096 + 200)
  })

  it('lets a user stop a run wherever it is, and a queued run before it starts', async () => {
    t = await startBench({ scripts: { maxConcurrentRuns: 1 } })
    const scripts = t.bench.scripts
    const started = nextEvent(t.bench, 'run.started', (e) => e.run.status === 'running')
    const [busy] = scripts.runSource({ name: 'busy', source: 'while true do end', limits: { cpuMs: 600_000 } })
    const [waiting] = scripts.runSource({ name: 'waiting', source: 'print("never")' })
    await started
    expect(scripts.getRun(waiting!.id)!.status).toBe('queued')
    expect(scripts.stop(waiting!.id)).toBe(true)
    expect(await scripts.wait(waiting!.id)).toMatchObject({
      status: 'killed',
      startedAt: null,
      error: { reason: 'stopped', message: 'stopped by the user before it started' },
    })
    expect(scripts.stop(busy!.id)).toBe(true)
    expect(await scripts.wait(busy!.id)).toMatchObject({ status: 'killed', error: { reason: 'stopped' } })
    expect(scripts.stop(busy!.id)).toBe(false)
  })

  it('refuses limits that would disable protection', () => {
    return startBench().then(async (b) => {
      t = b
      expect(() => b.bench.scripts.runSource({ name: 'x', source: '', limits: { cpuMs: 0 } })).toThrow(
        /cpuMs .* between 10 and/,
      )
      expect(() => b.bench.scripts.runSource({ name: 'x', source: '', limits: { memoryMb: 99999 } })).toThrow(
        /memoryMb/,
      )
      expect(() => b.bench.scripts.runSource({ name: 'x', source: '', limits: { bogus: 1 } as never })).toThrow(
        /unknown limit "bogus"/,
      )
    })
  })
})
