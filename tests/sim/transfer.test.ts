import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DigestServer } from '../../main/core/cwmp'
import { download, upload } from '../../main/core/sim/transfer'

const firmware = Buffer.alloc(200_000, 7)
const uploads: { url: string; body: Buffer; contentType?: string }[] = []
const digest = new DigestServer({ realm: 'files' })
let server: Server
let base: string

function handler(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    if (req.url === '/fw.bin') return void res.end(firmware)
    if (req.url === '/secret.bin') {
      if (!digest.verify(req.headers.authorization, 'GET', { username: 'u', password: 'p' }).ok)
        return void res.writeHead(401, { 'WWW-Authenticate': digest.challenge() }).end()
      return void res.end('ok')
    }
    if (req.url === '/cut.bin') {
      res.writeHead(200, { 'Content-Length': '1000' })
      return void res.write(Buffer.alloc(10), () => res.destroy())
    }
    if (req.url?.startsWith('/put/') && req.method === 'PUT') {
      uploads.push({ url: req.url, body: Buffer.concat(chunks), contentType: req.headers['content-type'] })
      return void res.writeHead(201).end()
    }
    res.writeHead(404).end()
  })
}

beforeAll(async () => {
  server = createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const dl = (path: string, extra: Partial<{ username: string; password: string; fileSize: number; url: string }> = {}) =>
  download({ url: base + path, username: '', password: '', fileSize: 0, ...extra }, 1024)

describe('file transfers over real HTTP', () => {
  it('downloads a file and reports its size', async () => {
    const r = await dl('/fw.bin', { fileSize: firmware.length })
    expect(r).toMatchObject({ faultCode: 0, bytes: firmware.length })
    expect(r.body!.length).toBe(1024) // only what was asked to be kept
    expect(Date.parse(r.completeTime)).toBeGreaterThanOrEqual(Date.parse(r.startTime))
  })

  it('maps failures to TransferComplete fault codes', async () => {
    expect((await dl('/missing.bin')).faultCode).toBe(9016)
    expect((await dl('/fw.bin', { fileSize: 5 })).faultCode).toBe(9018)
    expect((await dl('/secret.bin')).faultCode).toBe(9012)
    expect((await dl('/secret.bin', { username: 'u', password: 'wrong' })).faultCode).toBe(9012)
    expect((await dl('/cut.bin')).faultCode).toBe(9017)
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const refused = await dl('', { url: `http://127.0.0.1:${port}/x` })
    expect(refused.faultCode).toBe(9015)
    expect(refused.faultString).toMatch(/ECONNREFUSED/)
  })

  it('answers a Digest challenge with the given credentials', async () => {
    expect(await dl('/secret.bin', { username: 'u', password: 'p' })).toMatchObject({ faultCode: 0, bytes: 2 })
  })

  it('uploads with PUT and reports refusals as 9011', async () => {
    const r = await upload(
      { url: `${base}/put/config.json`, username: '', password: '' },
      Buffer.from('{"a":1}'),
      'application/json',
    )
    expect(r.faultCode).toBe(0)
    expect(uploads.at(-1)).toEqual({
      url: '/put/config.json',
      body: Buffer.from('{"a":1}'),
      contentType: 'application/json',
    })
    const refused = await upload(
      { url: `${base}/elsewhere`, username: '', password: '' },
      Buffer.from('x'),
      'text/plain',
    )
    expect(refused.faultCode).toBe(9011)
  })
})
