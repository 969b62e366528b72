import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runToEnd, startBench, type TestBench } from './helpers'

// Lua 5.1 semantics, against the oracle: Debian's real `lua5.1` interpreter runs each script of
// the corpus (tests/lua/lua51/corpus) and so does the real ScriptService (a worker per run, the
// sandbox, Fengari with lua51/); the outputs must be the same bytes. The corpus prints no
// addresses and sorts what pairs() visits, since neither is part of Lua's semantics (nor the
// same between two builds of lua5.1); docs/scripting.md ("Porting from Oktopus") lists the rest
// of what differs, and the last tests here pin those differences down.

const CORPUS = join(__dirname, 'lua51', 'corpus')
const files = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.lua'))
  .sort()

function oracle(file: string): string {
  const r = spawnSync('lua5.1', [file], { cwd: CORPUS, encoding: 'latin1' })
  if (r.error) throw new Error(`lua5.1 is needed for these tests (apt-get install lua5.1): ${r.error.message}`)
  expect(r.stderr, `lua5.1 ${file} failed`).toBe('')
  return r.stdout
}

function oracleSource(source: string): string {
  const r = spawnSync('lua5.1', ['-'], { input: source, encoding: 'latin1' })
  expect(r.stderr).toBe('')
  return r.stdout
}

let t: TestBench

beforeAll(async () => {
  t = await startBench()
})
afterAll(async () => {
  await t.close()
})

async function benchOutput(source: string, name: string): Promise<string> {
  const { run, lines } = await runToEnd(t.bench, source, { name })
  expect(run.error?.message, `${name} failed`).toBeUndefined()
  return lines.map((l) => `${l}\n`).join('')
}

describe('Lua 5.1 semantics (the default dialect)', () => {
  it('has a corpus of at least 40 scripts', () => {
    expect(files.length).toBeGreaterThanOrEqual(40)
  })

  it.each(files)('%s prints what lua5.1 prints, byte for byte', async (file) => {
    const source = readFileSync(join(CORPUS, file), 'utf8')
    const want = oracle(file)
    expect(want.length).toBeGreaterThan(0)
    // Lua strings are bytes: the run's output is UTF-8 text, so compare it as the bytes it is.
    const got = Buffer.from(await benchOutput(source, file), 'utf8').toString('latin1')
    expect(got).toBe(want)
  })

  it("prints the issue's examples as Lua 5.1 does", async () => {
    const source = 'print("avg " .. 100/4)\nprint(string.format("%d", 93784/86400))\nprint(unpack({1, 2}))'
    expect(oracleSource(source)).toBe('avg 25\n1\n1\t2\n')
    expect(await benchOutput(source, 'example.lua')).toBe('avg 25\n1\n1\t2\n')
  })

  it('computes with doubles where Fengari 5.3 integers would wrap at 32 bits', async () => {
    const source = 'print(os.time{year=2024, month=1, day=1, hour=0} * 1000, 0xFFFFFFFFFF, 2147483647 + 1)'
    const want = '1704067200000\t1099511627775\t2147483648\n'
    expect(oracleSource(source)).toBe(want)
    expect(await benchOutput(source, 'wrap.lua')).toBe(want)
  })

  it('loadstring compiles text only, into the script’s own sandbox', async () => {
    const source = [
      'print(loadstring("return io")() == io)',
      'print(pcall(loadstring("io.open(\'/etc/passwd\')")))',
      'print(pcall(loadstring, "\\27Lua"))',
    ].join('\n')
    const out = await benchOutput(source, 'ls.lua')
    expect(out).toMatch(
      /^true\nfalse\t\[string "io\.open\('\/etc\/passwd'\)"\]:1: io\.open is not available in scripts/,
    )
    expect(out).toMatch(/load: binary chunks \(bytecode\) are disabled/)
  })
})

describe('the Lua 5.3 opt-in', () => {
  it('keeps integer semantics for a script that asks for them', async () => {
    const source = [
      '-- bench-acs: lua 5.3',
      'print(100 / 4, 7 // 2, math.type(1), math.type(1.0), 3 | 4, 2^10)',
      'print(pcall(string.format, "%d", 1.5))',
      'print(unpack, loadstring, _VERSION)',
    ].join('\n')
    expect(await benchOutput(source, 'five-three.lua')).toBe(
      '25.0\t3\tinteger\tfloat\t7\t1024.0\n' +
        "false\tbad argument #2 to 'string.format' (number has no integer representation)\n" +
        'nil\tnil\tLua 5.3\n',
    )
  })

  it('does not change the numbers of a 5.1 script running at the same time', async () => {
    const [a, b] = await Promise.all([
      benchOutput('-- bench-acs: lua 5.3\nprint(10 / 2)', 'a.lua'),
      benchOutput('print(10 / 2)', 'b.lua'),
    ])
    expect([a, b]).toEqual(['5.0\n', '5\n'])
  })
})

describe('documented differences from lua5.1', () => {
  it('string.format("%s") converts any value with tostring, where lua5.1 refuses nil and booleans', async () => {
    expect(await benchOutput('print(string.format("%s %s", nil, true))', 'fmt.lua')).toBe('nil true\n')
    const r = spawnSync('lua5.1', ['-e', 'print(string.format("%s %s", nil, true))'], { encoding: 'utf8' })
    expect(r.stderr).toMatch(/bad argument #2 to 'format' \(string expected, got nil\)/)
  })
})
