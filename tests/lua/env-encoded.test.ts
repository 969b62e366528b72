import { afterEach, describe, expect, it } from 'vitest'
import { startBench, stdout, type TestBench } from './helpers'

// Secrets a script prints encoded by accident — base64 (a Basic authorization header), hex,
// percent-encoded in a URL, inside a JSON text — are masked like the secret itself, in the real
// Lua runtime (Fengari in a worker per run) on a real SQLite file. The encoders are plain Lua, the
// way a script writes them; each is checked on a value that is not secret first.

const KEY = 'Wifi "Key" 8b1f!/é'
const PIN = '7q9'

const ENCODERS = `
local ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = (a << 16) | ((b or 0) << 8) | (c or 0)
    local k = math.min(3, #s - i + 1)
    for j = 0, k do
      local idx = (n >> (18 - 6 * j)) & 63
      out[#out + 1] = ALPHABET:sub(idx + 1, idx + 1)
    end
    out[#out + 1] = string.rep('=', 3 - k)
  end
  return table.concat(out)
end
local function base64url(s)
  local r = base64(s):gsub('%+', '-'):gsub('/', '_'):gsub('=', '')
  return r
end
local function hex(s)
  local r = s:gsub('.', function(c) return string.format('%02x', c:byte()) end)
  return r
end
local function urlencode(s)
  local r = s:gsub('[^%w%-%._~]', function(c) return string.format('%%%02X', c:byte()) end)
  return r
end
local function formencode(s)
  local r = s:gsub('[^%w%-%._~ ]', function(c) return string.format('%%%02x', c:byte()) end):gsub(' ', '+')
  return r
end
`

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

async function run(source: string) {
  const [r] = t!.bench.scripts.runSource({ name: 'encoded secrets', source: ENCODERS + source, env: 'Customer A' })
  const done = await t!.bench.scripts.wait(r!.id)
  expect(done.status, done.error?.message).toBe('ok')
  return { run: done, lines: stdout(t!.bench, done.id) }
}

describe('secrets printed encoded', () => {
  it('are masked in base64 (alone and inside a Basic header), base64url, hex, percent-encoding and JSON', async () => {
    t = await startBench()
    t.bench.scripts.environments.create({
      name: 'Customer A',
      variables: [
        { name: 'USER', value: 'admin' },
        { name: 'WIFI_KEY', value: KEY, secret: true },
        { name: 'PIN', value: PIN, secret: true },
      ],
    })
    // The Lua encoders are right: checked on text that is not secret.
    const plain = await run(`
      print(base64('hello'), base64url('a?>b'), hex('AZ'), urlencode('a b/é'), formencode('a b!'))
    `)
    expect(plain.lines).toEqual(['aGVsbG8=\tYT8-Yg\t415a\ta%20b%2F%C3%A9\ta+b%21'])

    const { run: r, lines } = await run(`
      local key = env.WIFI_KEY
      print('b64', base64(key))
      print('b64url', base64url(key))
      print('hex', hex(key), hex(key):upper())
      print('url', urlencode(key))
      print('form', formencode(key))
      print('json', json.encode({ key = key }))
      for _, user in ipairs({ 'admin', 'ad', 'a' }) do
        print('basic', 'Authorization: Basic ' .. base64(user .. ':' .. key))
      end
      print('pin', env.PIN, hex(env.PIN))
      return base64(key)
    `)
    expect(lines.slice(0, 7)).toEqual([
      'b64\t••••',
      'b64url\t••••',
      'hex\t••••\t••••',
      'url\t••••',
      'form\t••••',
      'json\t{"key":"••••"}',
      // "admin:" is 6 bytes: the key starts a new group of 3, and its encoding is masked whole.
      'basic\tAuthorization: Basic YWRtaW46••••',
    ])
    // At other offsets, what is left around the mask are the characters shared with "ad:"/"a:"
    // and a few bits of the key's first and last bytes, never its text.
    for (const [i, user] of (['ad', 'a'] as const).entries()) {
      const line = lines[7 + i]!
      const full = Buffer.from(`${user}:${KEY}`).toString('base64')
      expect(line).toMatch(/^basic\tAuthorization: Basic [A-Za-z0-9+/]{2,4}••••[A-Za-z0-9+/]{0,3}=*$/)
      expect(line).not.toContain(full)
      expect(line.replace(/^.*Basic /, '').length).toBeLessThan(full.length / 2)
    }
    // A secret shorter than 4 characters is masked as it is, not encoded (it would mask noise).
    expect(lines[9]).toBe(`pin\t••••\t${Buffer.from(PIN).toString('hex')}`)
    expect(r.result).toEqual(['••••'])
    expect(JSON.stringify(t.bench.scripts.getRun(r.id))).not.toContain(Buffer.from(KEY).toString('base64'))
  })

  it('leaves ordinary output as it is', async () => {
    t = await startBench()
    t.bench.scripts.environments.create({
      name: 'Customer A',
      variables: [{ name: 'WIFI_KEY', value: KEY, secret: true }],
    })
    const ordinary = [
      'hello world',
      'mac 00:11:22:aa:bb:cc serial 0011AABB',
      'aGVsbG8= 415a a%20b%2F%C3%A9 Wifi Key 8b1f',
      'http://10.0.0.1:7547/?a=b%20c&key=%22x%22',
      '{"ssid":"CustA-5G","key":"other"}',
    ]
    const { lines } = await run(ordinary.map((l) => `print(${JSON.stringify(l)})`).join('\n'))
    expect(lines).toEqual(ordinary)
  })
})
