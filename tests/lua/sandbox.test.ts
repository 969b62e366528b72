import { afterEach, describe, expect, it } from 'vitest'
import { nextEvent, runToEnd, startBench, type TestBench } from './helpers'

// The sandbox, through the real service: each script in its own worker with its own Fengari state.

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

describe('the sandbox', () => {
  it('refuses every way out with a clear error at the line that tried', async () => {
    t = await startBench()
    const attempts: [string, RegExp][] = [
      [
        'os.execute("echo pwned")',
        /^test:1: os\.execute is not available in scripts: only os\.time, os\.clock and os\.date are$/,
      ],
      ['os.exit(1)', /os\.exit is not available in scripts/],
      ['return os.getenv("HOME")', /os\.getenv is not available in scripts/],
      ['io.open("/etc/passwd")', /^test:1: io\.open is not available in scripts: scripts cannot read or write files$/],
      ['io.write("x")', /io\.write is not available/],
      ['require("os")', /^test:1: require is not available in scripts: scripts cannot load modules/],
      ['package.loadlib("x", "y")', /package\.loadlib is not available/],
      ['dofile("/etc/passwd")', /^test:1: dofile is not available in scripts: scripts cannot read files$/],
      ['loadfile("/etc/passwd")', /loadfile is not available/],
      [
        'local f = load(string.dump(print))',
        /^test:1: string\.dump is not available in scripts: bytecode is disabled$/,
      ],
      ['local f = ("").dump(print)', /string\.dump is not available/],
      ['load("\\27LuaS\\0\\25\\147\\r\\n\\26\\n")', /^test:1: load: binary chunks \(bytecode\) are disabled/],
      ['load("return 1", "x", "b")', /^test:1: load: binary chunks are disabled in scripts; mode must be "t"/],
      ['load(function() return nil end, "x", "bt")', /binary chunks are disabled/],
      ['debug.getinfo(1)', /^test:1: debug\.getinfo is not available in scripts/],
      ['debug.sethook()', /debug\.sethook is not available/],
      ['debug.getregistry()', /debug\.getregistry is not available/],
      ['setmetatable(io, nil)', /cannot change a protected metatable/],
    ]
    const runs = attempts.map(([source]) => t!.bench.scripts.runSource({ name: 'test', source })[0]!)
    for (let i = 0; i < runs.length; i++) {
      const done = await t.bench.scripts.wait(runs[i]!.id)
      expect(done.status, attempts[i]![0]).toBe('error')
      expect(done.error!.message, attempts[i]![0]).toMatch(attempts[i]![1])
    }
  })

  it('keeps what a script needs: base, string, table, math, utf8, coroutine, os.time/clock/date, load of text', async () => {
    t = await startBench()
    const { run, lines } = await runToEnd(
      t.bench,
      `
      print(type(os.time()), type(os.date("%Y")), type(os.clock()))
      print(string.format("%05.1f", math.pi), utf8.char(72, 105), table.concat({1, 2, 3}, "-"))
      print(load("return 6 * 7")(), select("#", 1, 2, 3), tostring(nil), math.floor(1.5), 100 / 4)
      local env = { x = 5 }
      print(load("return x", "chunk", "t", env)())
      print(string.rep("ab", 3, ","), ("%d"):format(3), #"héllo", utf8.len("héllo"))
      print(coroutine.isyieldable(), coroutine.running() == nil) -- Lua 5.1: nil on the main thread
      return 1, "two", { three = 3 }, { 4, 5 }
    `,
    )
    expect(run.status).toBe('ok')
    expect(lines).toEqual([
      'number\tstring\tnumber',
      '003.1\tHi\t1-2-3',
      '42\t3\tnil\t1\t25',
      '5',
      'ab,ab,ab\t3\t6\t5',
      'false\ttrue',
    ])
    expect(run.result).toEqual([1, 'two', { three: 3 }, [4, 5]])
  })

  it('reports syntax errors with their line, runtime errors with a traceback', async () => {
    t = await startBench()
    const syntax = await runToEnd(t.bench, 'local a = 1\nlocal b = = 2\nprint(a)', { name: 'broken' })
    expect(syntax.run.status).toBe('error')
    expect(syntax.run.error).toMatchObject({ line: 2, message: "broken:2: unexpected symbol near '='" })
    expect(t.bench.scripts.check('local a = 1\nlocal b = = 2\n')).toEqual({
      ok: false,
      line: 2,
      message: "unexpected symbol near '='",
    })
    expect(t.bench.scripts.check('for i = 1, 3 do\nprint(i)\n')).toEqual({
      ok: false,
      line: 3,
      message: "'end' expected (to close 'for' at line 1) near <eof>",
    })
    expect(t.bench.scripts.check('print("fine")')).toEqual({ ok: true })
    // A "#!" first line is skipped (scripts run with bench-acs run), and line numbers stay right.
    expect(t.bench.scripts.check('#!/usr/bin/env bench-acs\nprint(')).toEqual({
      ok: false,
      line: 2,
      message: 'unexpected symbol near <eof>',
    })

    const runtime = await runToEnd(
      t.bench,
      'local function inner(t)\n  return t.missing.field\nend\nlocal function outer()\n  return inner({}) + 1\nend\nouter()\n',
      { name: 'crash' },
    )
    expect(runtime.run.status).toBe('error')
    expect(runtime.run.error!.message).toBe("crash:2: attempt to index field 'missing' (a nil value)")
    expect(runtime.run.error!.line).toBe(2)
    expect(runtime.run.error!.traceback).toMatch(
      /stack traceback:\n\tcrash:2: in (local|upvalue) 'inner'\n\tcrash:5: in (local|upvalue) 'outer'\n\tcrash:7: in main chunk/,
    )
    // The sandbox's own frames are not shown.
    expect(runtime.run.error!.traceback).not.toMatch(/sandbox/)

    const thrown = await runToEnd(t.bench, 'error({ code = 42 })')
    expect(thrown.run.error!.message).toMatch(/^table: /)
  })

  it('lets host calls wait inside pcall, coroutines, iterators and metamethods, and says where they cannot', async () => {
    t = await startBench()
    const { run, lines } = await runToEnd(
      t.bench,
      `
      print("pcall", pcall(get_device, "NOPE"))
      print("xpcall", xpcall(function() return get_device("NOPE") end, debug and print))
      local co = coroutine.create(function(a)
        local d = get_device("NOPE")
        local b = coroutine.yield(a + 1, d)
        return b * 2, list_devices()
      end)
      print("resume1", coroutine.resume(co, 1))
      local ok, v, list = coroutine.resume(co, 21)
      print("resume2", ok, v, type(list), coroutine.status(co))
      local gen = coroutine.wrap(function() for i = 1, 2 do coroutine.yield(get_device("X" .. i)) end end)
      print("wrap", gen(), gen())
      local proxy = setmetatable({}, { __index = function(_, k) return get_device(k) end })
      print("__index", proxy.ABC)
      local function iter() local n = 0 return function() n = n + 1 if n <= 2 then return n, get_device("I") end end end
      for i, d in iter() do print("iter", i, d) end
      print("sort", pcall(table.sort, {3, 1, 2}, function(a, b) get_device("S") return a < b end))
      print("gsub", pcall(string.gsub, "abc", "b", function() return get_device("G") end))
      print("tostring", pcall(tostring, setmetatable({}, { __tostring = function() return get_device("T") end })))
      print("top-level yield", pcall(coroutine.yield, 1))
    `,
    )
    expect(run.status).toBe('ok')
    const notHere =
      'get_device cannot be called here: host functions wait (for a device, a timer or an event), and Lua cannot wait inside a function called by a library function (a table.sort comparator, a string.gsub callback, __tostring, an xpcall message handler, a load reader)'
    expect(lines).toEqual([
      'pcall\ttrue\tfalse',
      'xpcall\ttrue\tfalse',
      'resume1\ttrue\t2\tfalse',
      'resume2\ttrue\t42\ttable\tdead',
      'wrap\tfalse\tfalse',
      '__index\tfalse',
      'iter\t1\tfalse',
      'iter\t2\tfalse',
      `sort\tfalse\ttest:18: ${notHere}`,
      // Those callbacks end in a tail call, so Lua has no line of theirs to point at.
      `gsub\tfalse\t${notHere}`,
      `tostring\tfalse\t${notHere}`,
      'top-level yield\tfalse\tattempt to yield from outside a coroutine',
    ])
    // Host calls that could not wait never reached the main thread.
    expect(run.hostCalls).toBe(9)
  })

  it('streams print and log lines as they happen, and logs to the event log', async () => {
    t = await startBench()
    const bench = t.bench
    const first = nextEvent(bench, 'run.output')
    const [run] = bench.scripts.runSource({
      name: 'chatty',
      source:
        'print("one", 2, nil, true)\nlog("warn", "disk", "low")\nlog("just text")\nlisten_to_cwmp_event("0", "never", 60000)',
    })
    const out = await first
    expect(out.lines.map((l) => [l.stream, l.level, l.text])).toEqual([
      ['stdout', undefined, 'one\t2\tnil\ttrue'],
      ['log', 'warn', 'disk low'],
      ['log', 'info', 'just text'],
    ])
    // Still running (waiting for an event) while its output is already visible and stored.
    expect(bench.scripts.getRun(run!.id)!.status).toBe('running')
    bench.scripts.stop(run!.id)
    await bench.scripts.wait(run!.id)
    expect(bench.scripts.output(run!.id).map((l) => l.text)).toEqual([
      'one\t2\tnil\ttrue',
      'disk low',
      'just text',
      'script stopped by the user',
    ])
    const logged = bench.store.events.query({ kinds: ['script'] }).map((e) => [e.severity, e.summary])
    expect(logged).toEqual(
      expect.arrayContaining([
        ['warn', 'chatty: disk low'],
        ['info', 'chatty: just text'],
        ['warn', expect.stringMatching(/^Script "chatty" was stopped after .*: script stopped by the user$/)],
      ]),
    )
  })

  it('offers json and sleep', async () => {
    t = await startBench()
    const { run, lines } = await runToEnd(
      t.bench,
      `
      local text = json.encode({ name = "x", list = { 1, 2, 3 }, nested = { ok = true }, empty = {} })
      local back = json.decode(text)
      print(back.name, #back.list, back.nested.ok, next(back.empty))
      print(json.decode("[1, null, 3]")[3], json.decode('"\\\\u00e9"'))
      print(json.decode("{oops"))
      print(pcall(json.encode, { f = print }))
      local t0 = os.time()
      sleep(50)
      print("slept")
      print(pcall(sleep, -1))
    `,
    )
    expect(run.error).toBeNull()
    expect(lines[0]).toBe('x\t3\ttrue\tnil')
    expect(lines[1]).toBe('3\té')
    expect(lines[2]).toMatch(/^nil\tjson\.decode: /)
    expect(lines[3]).toMatch(/^false\tjson\.encode: a function cannot be passed/)
    expect(lines[4]).toBe('slept')
    expect(lines[5]).toMatch(/^false\tbad argument #1 to 'sleep' \(between 0 and \d+ ms, got -1\)$/)
  })
})
