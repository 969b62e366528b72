import { describe, expect, it, vi } from 'vitest'
import { BUSY_ERROR, type WsServerMessage } from '../../preload/api'
import { connect, get, start } from './helpers'

describe('UI server (headless mode)', () => {
  it('serves the built renderer with a strict CSP, and nothing outside it', async () => {
    const { port } = await start()
    const index = await get(port, '/')
    expect(index.status).toBe(200)
    expect(index.body).toContain('<div id="root">')
    expect(index.headers['content-security-policy']).toContain("script-src 'self'")
    expect(index.headers['x-frame-options']).toBe('DENY')
    expect((await get(port, '/../package.json')).status).toBe(404)
    expect((await get(port, '/%2e%2e/%2e%2e/package.json')).status).toBe(404)
    expect((await get(port, '/nothing-here.js')).status).toBe(404)
    // DNS rebinding: a page on another name resolving to 127.0.0.1 gets nothing.
    expect((await get(port, '/', { Host: 'attacker.example' })).status).toBe(421)
  })

  it('carries the API over the WebSocket, refusing other origins, unknown calls and bad arguments', async () => {
    const { port, bench } = await start()
    const foreign = connect(port, { Origin: 'http://attacker.example' })
    expect(await foreign.opened).toBe(403)

    const c = connect(port, { Origin: `http://127.0.0.1:${port}` })
    expect(await c.opened).toBeNull()
    c.ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'app.info', args: [] }))
    c.ws.send(JSON.stringify({ type: 'call', id: 2, channel: 'store.db.exec', args: ['DROP TABLE devices'] }))
    c.ws.send(JSON.stringify({ type: 'call', id: 3, channel: 'devices.list', args: [{ limit: 'all' }] }))
    expect(await c.next((m) => m.type === 'reply' && m.id === 1)).toMatchObject({
      reply: { ok: true, value: { shell: 'browser', version: 'test' } },
    })
    expect(await c.next((m) => m.type === 'reply' && m.id === 2)).toMatchObject({
      reply: { ok: false, error: { name: 'BadRequestError' } },
    })
    expect(await c.next((m) => m.type === 'reply' && m.id === 3)).toMatchObject({
      reply: { ok: false, error: { name: 'BadRequestError', message: 'limit must be a whole number' } },
    })

    // Streams: only what was subscribed to, in batches.
    c.ws.send(JSON.stringify({ type: 'subscribe', stream: 'events.logged', on: true }))
    c.ws.send(JSON.stringify({ type: 'call', id: 4, channel: 'app.info', args: [] }))
    await c.next((m) => m.type === 'reply' && m.id === 4)
    bench.journal.record({ kind: 'system', summary: 'hello stream' })
    const batch = await c.next((m) => m.type === 'stream')
    expect(batch).toMatchObject({ stream: 'events.logged', batch: [{ summary: 'hello stream' }] })

    // Not JSON: the server closes that connection, and keeps serving others.
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)))
    c.ws.send('not json')
    expect(await closed).toBe(1003)
    expect((await get(port, '/')).status).toBe(200)
  })

  it('answers only to its exact host names, so a rebound DNS name gets neither the page nor the API', async () => {
    const { port } = await start()
    // Names an attacker's DNS can point at 127.0.0.1: none is served, whatever its first label.
    for (const host of [
      `127.attacker.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `localhost.attacker.example:${port}`,
      `attacker.example:${port}`,
      '127.0.0.1:1', // another port: another origin
      `127.0.0.1:${port}@evil.example`,
    ]) {
      expect((await get(port, '/', { Host: host })).status, host).toBe(421)
      expect(await connect(port, { Host: host, Origin: `http://${host}` }).opened, host).toBe(403)
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await get(port, '/', { Host: host })).status, host).toBe(200)
      const c = connect(port, { Host: host, Origin: `http://${host}` })
      expect(await c.opened, host).toBeNull()
      c.ws.close()
    }
    // The Origin of an upgrade must be the page's own, exactly.
    for (const origin of [
      `http://127.0.0.1:${port}.evil.example`,
      `https://127.0.0.1:${port}`,
      `http://localhost:${port}`, // a page on another of our names is another origin
      'null',
    ]) {
      expect(await connect(port, { Host: `127.0.0.1:${port}`, Origin: origin }).opened, origin).toBe(403)
    }
  })

  it('refuses a flood of calls past its in-flight cap, stays up and answers the next call', async () => {
    const { port, bench, ui } = await start()
    bench.store.transaction(() => {
      for (let i = 0; i < 50; i++) bench.store.devices.upsert(`FLOOD${i}`, { model: 'm' })
    })
    const c = connect(port, { Origin: `http://127.0.0.1:${port}` })
    expect(await c.opened).toBeNull()
    const total = 20_000
    const replies = new Map<number, { ok: boolean; error?: { name: string; message: string } }>()
    let resolveAll!: () => void
    const all = new Promise<void>((r) => (resolveAll = r))
    c.ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as WsServerMessage
      if (m.type !== 'reply') return
      replies.set(m.id, m.reply)
      if (replies.size === total) resolveAll()
    })
    // Not awaited: one synchronous burst, as a runaway page would send.
    for (let id = 1; id <= total; id++)
      c.ws.send(JSON.stringify({ type: 'call', id, channel: 'devices.list', args: [{ limit: 1000 }] }))
    await all
    const refused = [...replies.values()].filter((r) => !r.ok)
    const answered = total - refused.length
    expect(refused.length).toBeGreaterThan(0)
    expect(answered).toBeGreaterThan(0)
    expect(new Set(refused.map((r) => r.error?.name))).toEqual(new Set([BUSY_ERROR]))
    expect(refused[0]!.error!.message).toMatch(/wait for their answers/)
    expect(ui.server.stats()).toMatchObject({ calls: answered, refused: refused.length })
    c.ws.send(JSON.stringify({ type: 'call', id: total + 1, channel: 'app.info', args: [] }))
    expect(await c.next((m) => m.type === 'reply' && m.id === total + 1)).toMatchObject({ reply: { ok: true } })
    expect((await get(port, '/')).status).toBe(200)
  })

  it('stops reading calls while its replies are not being read, and catches up once they are', async () => {
    const { port, bench, ui } = await start()
    bench.store.transaction(() => {
      for (let i = 0; i < 1000; i++)
        bench.store.devices.upsert(`BP${String(i).padStart(4, '0')}`, { model: 'a model name', manufacturer: 'x' })
    })
    const c = connect(port, { Origin: `http://127.0.0.1:${port}` })
    expect(await c.opened).toBeNull()
    // A client that sends and never reads: replies pile up in the server's send buffer.
    c.ws.pause()
    const total = 2000
    for (let id = 1; id <= total; id++)
      c.ws.send(JSON.stringify({ type: 'call', id, channel: 'devices.list', args: [{ limit: 1000 }] }))
    await vi.waitFor(() => expect(ui.server.stats().paused).toBeGreaterThan(0), { timeout: 60_000, interval: 20 })
    const { calls, refused } = ui.server.stats()
    expect(calls + refused).toBeLessThan(total)
    // Reading again: every call gets its answer (or a busy refusal), none is lost.
    const ids = new Set<number>()
    let resolveAll!: () => void
    const all = new Promise<void>((r) => (resolveAll = r))
    c.ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as WsServerMessage
      if (m.type === 'reply' && ids.add(m.id).size === total) resolveAll()
    })
    c.ws.resume()
    await all
    c.ws.send(JSON.stringify({ type: 'call', id: total + 1, channel: 'app.info', args: [] }))
    expect(await c.next((m) => m.type === 'reply' && m.id === total + 1)).toMatchObject({ reply: { ok: true } })
    // 2,000 lists of 1,000 devices: ~30 s on a machine whose cores are busy elsewhere; it waits
    // for the replies, not for a time.
  }, 120_000)

  it('requires the token everywhere when it is bound beyond loopback', async () => {
    const { port, ui } = await start({ token: 'sekret-token', requireToken: true })
    expect(ui.server.url).toContain('?token=sekret-token')
    expect((await get(port, '/')).status).toBe(401)
    expect((await get(port, '/?token=wrong')).status).toBe(401)
    const login = await get(port, '/?token=sekret-token')
    expect(login.status).toBe(303)
    const cookie = String(login.headers['set-cookie']).split(';')[0]!
    expect(String(login.headers['set-cookie'])).toContain('HttpOnly')
    expect((await get(port, '/', { Cookie: cookie })).status).toBe(200)
    expect(await connect(port).opened).toBe(403)
    expect(await connect(port, { Cookie: 'bench_token=wrong' }).opened).toBe(403)
    expect(await connect(port, { Cookie: cookie }).opened).toBeNull()
  })
})
