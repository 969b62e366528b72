import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { DigestClient } from '../../main/core/cwmp'
import type { FileFetchProgress } from '../../main/core/files'
import { httpPost, ManualCpe, nextEvent, plainSession, startAcs, until, type TestAcs } from '../acs/helpers'
import { fetchRaw, testImage } from './helpers'

let acs: TestAcs | undefined
afterEach(async () => {
  await acs?.close()
  acs = undefined
})

const image = testImage('2.0.1', 'Router', 500_000)

async function withFile(name = 'fw-2.0.1.bin', content = image, extra: Record<string, string> = {}) {
  acs = await startAcs()
  const file = await acs.bench.files.library.add({ content, name }, extra)
  return { acs, file, base: `http://127.0.0.1:${acs.port}` }
}

describe('the file server on the CWMP port', () => {
  it('serves a library file with Content-Length, ETag, HEAD and single byte ranges', async () => {
    const { base, file } = await withFile()
    expect(file).toMatchObject({
      size: image.length,
      version: '2.0.1',
      productClass: 'Router',
      fileType: '1 Firmware Upgrade Image',
    })

    const whole = await fetchRaw(`${base}/files/fw-2.0.1.bin`)
    expect(whole.status).toBe(200)
    expect(whole.headers['content-length']).toBe(String(image.length))
    expect(whole.headers['accept-ranges']).toBe('bytes')
    expect(whole.headers.etag).toBe(`"${file.sha256}"`)
    expect(whole.body.equals(image)).toBe(true)

    const head = await fetchRaw(`${base}/files/fw-2.0.1.bin`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe(String(image.length))
    expect(head.body.length).toBe(0)

    const part = await fetchRaw(`${base}/files/fw-2.0.1.bin`, { headers: { Range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers['content-range']).toBe(`bytes 100-199/${image.length}`)
    expect(part.headers['content-length']).toBe('100')
    expect(part.body.equals(image.subarray(100, 200))).toBe(true)

    const tail = await fetchRaw(`${base}/files/fw-2.0.1.bin`, { headers: { Range: 'bytes=-10' } })
    expect(tail.body.equals(image.subarray(-10))).toBe(true)
    const open = await fetchRaw(`${base}/files/fw-2.0.1.bin`, { headers: { Range: `bytes=${image.length - 5}-` } })
    expect(open.status).toBe(206)
    expect(open.body.equals(image.subarray(-5))).toBe(true)

    const beyond = await fetchRaw(`${base}/files/fw-2.0.1.bin`, { headers: { Range: `bytes=${image.length}-` } })
    expect(beyond.status).toBe(416)
    expect(beyond.headers['content-range']).toBe(`bytes */${image.length}`)
    // A partial copy of other content (If-Range with another validator) gets the whole file.
    const stale = await fetchRaw(`${base}/files/fw-2.0.1.bin`, { headers: { Range: 'bytes=0-9', 'If-Range': '"old"' } })
    expect(stale.status).toBe(200)
    expect(stale.body.length).toBe(image.length)

    // Each GET is logged (once the server saw its answer out); the whole-file ones and the range
    // that reached the end count as downloads.
    await until(() => acs!.bench.files.library.fetches('fw-2.0.1.bin').length === 5)
    const log = acs!.bench.files.library.fetches('fw-2.0.1.bin')
    expect(log.map((f) => [f.status, f.outcome, f.bytes])).toEqual([
      [200, 'complete', image.length],
      [206, 'complete', 5],
      [206, 'complete', 10],
      [206, 'complete', 100],
      [200, 'complete', image.length],
    ])
    expect(acs!.bench.files.library.get('fw-2.0.1.bin')!.downloads).toBe(4)
  })

  it('refuses what is not a library file, other methods, and paths that try to leave the library', async () => {
    const { base } = await withFile()
    for (const path of [
      '/files/nothing.bin',
      '/files/..%2Fbench.sqlite',
      '/files/../bench.sqlite',
      '/files/%2e%2e/bench.sqlite',
      '/files/fw-2.0.1.bin/extra/more',
      '/files/not-a-token/fw-2.0.1.bin',
      '/files/%E0%A4%A',
    ]) {
      const r = await fetchRaw(base + path)
      // (a URL client already resolves /../, which then lands on the CWMP endpoint: 405)
      expect([400, 404, 405], path).toContain(r.status)
      expect(r.body.includes(image.subarray(0, 20))).toBe(false)
    }
    expect((await httpPost(`${base}/files/fw-2.0.1.bin`, 'x')).status).toBe(405)
    expect((await fetchRaw(`${base}/upload/whatever`, { method: 'GET' })).status).toBe(405)
    expect((await fetchRaw(`${base}/upload/unknown-token`, { method: 'PUT', body: Buffer.from('x') })).status).toBe(404)
    // CWMP still works on the same port.
    const cpe = new ManualCpe(acs!.url)
    const [inform] = await plainSession(cpe, { serial: 'SN1' })
    expect(inform!.status).toBe(200)
    cpe.close()
  })

  it('asks for the file’s Digest credentials when it has them', async () => {
    const { base } = await withFile('secret.bin', Buffer.from('top secret firmware'), {
      username: 'fw',
      password: 'pw',
    })
    const url = `${base}/files/secret.bin`
    const first = await fetchRaw(url)
    expect(first.status).toBe(401)
    const challenge = String(first.headers['www-authenticate'])
    expect(challenge).toMatch(/^Digest /)
    const wrong = new DigestClient(challenge, { username: 'fw', password: 'nope' })
    expect(
      (await fetchRaw(url, { headers: { Authorization: wrong.authorization('GET', '/files/secret.bin') } })).status,
    ).toBe(401)
    const right = new DigestClient(String((await fetchRaw(url)).headers['www-authenticate']), {
      username: 'fw',
      password: 'pw',
    })
    const ok = await fetchRaw(url, { headers: { Authorization: right.authorization('GET', '/files/secret.bin') } })
    expect(ok.status).toBe(200)
    expect(ok.body.toString()).toBe('top secret firmware')
  })

  it('reports progress on the event bus and logs a fetch cut off by the client', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 1)
    const { base } = await withFile('big.bin', big, { type: 'web' })
    const seen: FileFetchProgress[] = []
    acs!.bench.events.on('file.fetch', (e) => seen.push(e))
    const complete = nextEvent(acs!.bench, 'file.fetch', (e) => e.state === 'complete')
    await fetchRaw(`${base}/files/big.bin`)
    await complete
    expect(seen[0]).toMatchObject({ state: 'started', name: 'big.bin', expected: big.length, bytes: 0 })
    const percents = seen.filter((e) => e.state === 'progress').map((e) => e.percent)
    expect(percents.length).toBeGreaterThan(10)
    expect(percents).toEqual([...percents].sort((a, b) => a - b))
    expect(seen.at(-1)).toMatchObject({ state: 'complete', percent: 100, bytes: big.length })

    // A client that reads a little and hangs up.
    const cut = nextEvent(acs!.bench, 'file.fetch', (e) => e.state === 'cut-off')
    const socket = connect(acs!.port, '127.0.0.1', () => socket.write('GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n'))
    socket.once('data', () => socket.destroy())
    const ended = await cut
    expect(ended.bytes).toBeLessThan(big.length)
    const [last] = acs!.bench.files.library.fetches('big.bin')
    expect(last).toMatchObject({ outcome: 'cut-off', status: 200, expected: big.length })
    expect(acs!.bench.files.library.get('big.bin')!.downloads).toBe(1)
  })

  it('cuts off a fetch of a file removed meanwhile, and leaves the other files whole', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024, 2)
    const { base } = await withFile('going.bin', big)
    await acs!.bench.files.library.add({ content: image, name: 'staying.bin' })
    // Reads slowly: the server is mid-file when the file goes.
    const socket = connect(acs!.port, '127.0.0.1', () =>
      socket.write('GET /files/going.bin HTTP/1.1\r\nHost: x\r\n\r\n'),
    )
    let received = 0
    let paused = false
    socket.on('data', (d: Buffer) => {
      received += d.length
      if (!paused) socket.pause()
      paused = true
    })
    const closed = new Promise((r) => socket.on('close', r))
    await until(() => received > 0 && acs!.bench.files.server.liveFetches('going.bin') === 1)
    const cut = nextEvent(acs!.bench, 'file.fetch', (e) => e.state === 'cut-off')
    acs!.bench.files.library.remove('going.bin')
    socket.resume()
    await closed
    await cut
    expect(received).toBeLessThan(big.length)
    expect((await fetchRaw(`${base}/files/going.bin`)).status).toBe(404)
    expect(acs!.bench.files.library.list().map((f) => f.name)).toEqual(['staying.bin'])
    expect((await fetchRaw(`${base}/files/staying.bin`)).body.equals(image)).toBe(true)
  })
})
