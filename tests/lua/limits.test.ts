import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord, ScriptLimits } from '../../main/core/scripts'
import { nextEvent, runToEnd, startBench, stdout, type TestBench } from './helpers'

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
    what: 'an infinite loop in a coroutine, whose stop the script catches with coroutine.resume',
    source:
      'local co = coroutine.create(function() while true do end end)\nprint(coroutine.resume(co))\nreturn "finished"',
    limits: { cpuMs: 300 },
    status: 'killed',
    reason: 'cpu',
    message: /limits\.cpuMs/,
  },
  {
    what: 'an error value whose __tostring never returns',
    source: 'error(setmetatable({}, { __tostring = function() while true do end end }))',
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
    message:
      /^script stopped: it printed more than 4 KiB of output without waiting on a device, a timer or an event \(limits\.outputBytes\); look for a loop that prints without end$/,
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

  it('stops a tight loop that keeps big strings (outside the JS heap) once they pass the memory limit', async () => {
    t = await startBench()
    const MiB = 1024 * 1024
    const { run, lines } = await runToEnd(
      t.bench,
      'local t, s = {}, ("x"):rep(4 * 1024 * 1024 - 8)\nfor i = 1, 1000 do\n  t[i] = s .. i\n  print(i)\nend',
      { limits: { memoryMb: 16, maxStringBytes: 4 * MiB } },
    )
    expect(run).toMatchObject({ status: 'killed', error: { reason: 'memory' } })
    expect(run.error!.message).toBe('script stopped: it used more than 16 MiB of memory (limits.memoryMb)')
    // Stopped within what the check allows for garbage V8 has not collected yet (64 MiB, plus
    // two strings in flight), not hundreds of strings later.
    expect(Number(lines.at(-1)) * 4).toBeLessThanOrEqual(16 + 64 + 2 * 4)
  })

  it('does not take many short library calls in a row for one that runs away', async () => {
    t = await startBench()
    // A few ms each, a few hundred of them with hardly any Lua between: no single call is long.
    const { run } = await runToEnd(
      t.bench,
      'local s = ("x"):rep(1e6)\nlocal upper = string.upper\nfor i = 1, 300 do upper(s) end\nreturn "done"',
      { limits: { libraryCallMs: 300 } },
    )
    expect(run.error).toBeNull()
    expect(run).toMatchObject({ status: 'ok', result: ['done'] })
  })

  it('keeps the newest output of a run that prints more than its limit while it waits, and says what went', async () => {
    t = await startBench()
    const { run } = await runToEnd(
      t.bench,
      'for i = 1, 200 do\n  print(("%03d"):format(i) .. ("x"):rep(96))\n  sleep(0)\nend\nreturn "done"',
      { limits: { outputBytes: 4096 } },
    )
    expect(run).toMatchObject({ status: 'ok', result: ['done'] })
    const lines = t.bench.scripts.output(run.id)
    expect(lines[0]).toMatchObject({
      stream: 'system',
      text: expect.stringMatching(
        /^… (\d+) earlier line\(s\), [\d.]+ KiB, were dropped: a run keeps its newest 4 KiB of output \(limits\.outputBytes\)$/,
      ),
    })
    const printed = lines.slice(1).map((l) => l.text)
    const dropped = Number(/^… (\d+) /.exec(lines[0]!.text)![1])
    // The newest lines, in order, none missing between the note and the end.
    expect(printed).toEqual(
      Array.from({ length: 200 - dropped }, (_, i) => `${String(dropped + i + 1).padStart(3, '0')}${'x'.repeat(96)}`),
    )
    expect(run.outputBytes).toBe(lines.reduce((n, l) => n + Buffer.byteLength(l.text) + 1, 0))
    expect(run.outputBytes).toBeLessThanOrEqual(4096)
    expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b))
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

  it("cancels a stopped run's RPC still queued for its device, which then never gets it", async () => {
    t = await startBench()
    const [cpe] = (await t.sims({ count: 1, serialPrefix: 'GONE' })).cpes
    const serial = cpe!.serial
    // Switched off: the connection request fails, so the RPC waits for the device's next Inform.
    await cpe!.stop()
    const queued = nextEvent(t.bench, 'rpc.queued', (e) => e.serial === serial)
    const [run] = t.bench.scripts.runSource({
      name: 'patient',
      source: `return get_parameter_values(DEVICE, "InternetGatewayDevice.DeviceInfo.UpTime", { wait_for_device = true, timeout_ms = 600000 })`,
      target: { kind: 'devices', serials: [serial] },
    })
    const { rpcId } = await queued
    await nextEvent(t.bench, 'event.logged', (e) => e.kind === 'connection-request' && e.serial === serial)
    expect(t.bench.acs.rpcs(serial).find((r) => r.id === rpcId)).toMatchObject({ state: 'queued' })

    const cancelled = nextEvent(t.bench, 'rpc.completed', (e) => e.rpcId === rpcId)
    expect(t.bench.scripts.stop(run!.id)).toBe(true)
    expect(await t.bench.scripts.wait(run!.id)).toMatchObject({ status: 'killed', error: { reason: 'stopped' } })
    expect(await cancelled).toMatchObject({ ok: false })
    expect(t.bench.acs.rpcs(serial).find((r) => r.id === rpcId)).toMatchObject({
      state: 'cancelled',
      source: `script:${run!.id}`,
    })

    // Back on: its session carries the ACS's own RPCs (discovery), none for the run that is gone.
    const session = nextEvent(t.bench, 'session.ended', (e) => e.serial === serial)
    await t.sims({ count: 1, serialPrefix: 'GONE' })
    await session
    const ofRun = t.bench.acs.rpcs(serial).filter((r) => r.source === `script:${run!.id}`)
    expect(ofRun).toEqual([expect.objectContaining({ id: rpcId, state: 'cancelled' })])
    expect(ofRun[0]!.sentAt).toBeUndefined()
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
