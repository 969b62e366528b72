import { request } from 'node:http'
import { imageHeader } from '../../common/firmware-image'

export interface Fetched {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** One HTTP request to the ACS's port, whole answer read. */
export function fetchRaw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A test firmware image: the Bench ACS header, then `size` bytes of a pattern. */
export function testImage(version: string, productClass = '', size = 300_000): Buffer {
  const body = Buffer.alloc(size)
  for (let i = 0; i < size; i++) body[i] = (i * 31 + 7) & 0xff
  return Buffer.concat([Buffer.from(imageHeader({ version, productClass })), body])
}
