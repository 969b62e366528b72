import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { basicHeader, DigestClient } from '../../main/core/cwmp'
import { ConnectionRequestListener } from '../../main/core/sim/connection-request'

interface Reply {
  status: number
  challenge?: string
}

function get(url: string, authorization?: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: authorization ? { Authorization: authorization } : {} })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] as string | undefined }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

let listener: ConnectionRequestListener | undefined
afterEach(async () => {
  await listener?.close()
  listener = undefined
})

async function start(credentials = { username: 'cr', password: 'secret' }) {
  const woken: number[] = []
  listener = await ConnectionRequestListener.start({
    bind: '127.0.0.1',
    path: '/SIM000001',
    credentials: () => credentials,
    onConnectionRequest: () => woken.push(Date.now()),
  })
  return { url: listener.url, woken, path: new URL(listener.url).pathname }
}

describe('connection-request listener', () => {
  it('answers an unauthenticated request with a Digest (qop=auth) challenge and does not wake', async () => {
    const { url, woken } = await start()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/SIM000001$/)
    const r = await get(url)
    expect(r.status).toBe(401)
    expect(r.challenge).toMatch(/^Digest realm="[^"]+", qop="auth", nonce="[0-9a-f]+"/)
    expect(woken).toEqual([])
  })

  it('accepts a correct Digest answer with 200 and then wakes the CPE', async () => {
    const { url, woken, path } = await start()
    const { challenge } = await get(url)
    const client = new DigestClient(challenge!, { username: 'cr', password: 'secret' })
    const r = await get(url, client.authorization('GET', path))
    expect(r.status).toBe(200)
    await expect.poll(() => woken.length).toBe(1)
    // The same challenge answered again with the next nonce count is fine too.
    expect((await get(url, client.authorization('GET', path))).status).toBe(200)
    await expect.poll(() => woken.length).toBe(2)
  })

  it('refuses a wrong password, a replayed nonce count and Basic auth', async () => {
    const { url, woken, path } = await start()
    const { challenge } = await get(url)
    const wrong = new DigestClient(challenge!, { username: 'cr', password: 'guess' })
    const bad = await get(url, wrong.authorization('GET', path))
    expect(bad.status).toBe(401)
    expect(bad.challenge).toMatch(/^Digest /)

    const client = new DigestClient(challenge!, { username: 'cr', password: 'secret' })
    const header = client.authorization('GET', path)
    expect((await get(url, header)).status).toBe(200)
    expect((await get(url, header)).status).toBe(401) // same nc: a replay
    expect((await get(url, basicHeader({ username: 'cr', password: 'secret' }))).status).toBe(401)
    const unknownUser = new DigestClient(challenge!, { username: 'admin', password: 'secret' })
    expect((await get(url, unknownUser.authorization('GET', path))).status).toBe(401)
    await expect.poll(() => woken.length).toBe(1)
  })

  it('reads the credentials at each request, so a changed password applies at once', async () => {
    const creds = { username: 'cr', password: 'old' }
    const { url, path } = await start(creds)
    creds.password = 'new'
    const { challenge } = await get(url)
    expect(
      (await get(url, new DigestClient(challenge!, { username: 'cr', password: 'old' }).authorization('GET', path)))
        .status,
    ).toBe(401)
    const { challenge: again } = await get(url)
    expect(
      (await get(url, new DigestClient(again!, { username: 'cr', password: 'new' }).authorization('GET', path))).status,
    ).toBe(200)
  })

  it('answers other paths with 404 and other methods with 405', async () => {
    const { url } = await start()
    expect((await get(url.replace('/SIM000001', '/other'))).status).toBe(404)
    expect((await get(url, undefined, 'POST')).status).toBe(405)
  })

  it('with no credentials configured, accepts requests without authentication', async () => {
    const { url, woken } = await start({ username: '', password: '' })
    expect((await get(url)).status).toBe(200)
    await expect.poll(() => woken.length).toBe(1)
  })
})
