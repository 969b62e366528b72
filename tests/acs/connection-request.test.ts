import { getEventListeners } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionRequestError } from '../../main/core/acs'
import { ConnectionRequestFailure, sendConnectionRequest } from '../../main/core/acs/connection-request'
import { checkBasic, DigestServer } from '../../main/core/cwmp'
import { informXml, ManualCpe, nextEvent, startAcs, type TestAcs } from './helpers'

const servers: Server[] = []
let acs: TestAcs | undefined

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
  await acs?.close()
  acs = undefined
})

/** A CPE's connection-request listener: `handle` decides each answer; every request is recorded. */
async function crServer(handle: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const seen: IncomingMessage[] = []
  const server = createServer((req, res) => {
    seen.push(req)
    handle(req, res, seen.length)
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cr/abc`, seen }
}

function digestCpe(username: string, password: string) {
  const digest = new DigestServer({ realm: 'CPE' })
  return (req: IncomingMessage, res: ServerResponse) => {
    const verdict = digest.verify(req.headers.authorization, 'GET', { username, password })
    if (verdict.ok) return res.writeHead(200).end()
    res.writeHead(401, { 'WWW-Authenticate': digest.challenge() }).end()
  }
}

const options = { timeoutMs: 1_000, retries: 2, backoffMs: 10 }
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ConnectionRequestFailure,
  )

describe('connection requests', () => {
  it('answers a Digest challenge', async () => {
    const cpe = await crServer(digestCpe('cr', 'secret'))
    const result = await sendConnectionRequest(
      { url: cpe.url, credentials: { username: 'cr', password: 'secret' } },
      options,
    )
    expect(result).toMatchObject({ status: 200, auth: 'digest', attempts: 1 })
    expect(cpe.seen.map((r) => Boolean(r.headers.authorization))).toEqual([false, true])
    expect(cpe.seen[1]!.headers.authorization).toMatch(/uri="\/cr\/abc", algorithm=MD5, qop=auth, nc=00000001/)
  })

  it('answers a Basic challenge only when allowed to, and never sends the password otherwise', async () => {
    const cpe = await crServer((req, res) =>
      checkBasic(req.headers.authorization, { username: 'u', password: 'p' })
        ? res.writeHead(204).end()
        : res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cpe"' }).end(),
    )
    const refused = await failure(
      sendConnectionRequest({ url: cpe.url, credentials: { username: 'u', password: 'p' } }, options),
    )
    expect(refused).toMatchObject({ refused: true, status: 401 })
    expect(refused!.reason).toMatch(/Basic authentication only, which would send .* in clear/)
    expect(cpe.seen.map((r) => r.headers.authorization)).toEqual([undefined])
    expect(
      await sendConnectionRequest(
        { url: cpe.url, credentials: { username: 'u', password: 'p' } },
        { ...options, allowBasic: true },
      ),
    ).toMatchObject({
      status: 204,
      auth: 'basic',
    })
  })

  it('says so when the CPE rejects the credentials, without retrying', async () => {
    const cpe = await crServer(digestCpe('cr', 'secret'))
    const error = await failure(
      sendConnectionRequest({ url: cpe.url, credentials: { username: 'cr', password: 'wrong' } }, options),
    )
    expect(error).toBeInstanceOf(ConnectionRequestFailure)
    expect(error!.reason).toMatch(/^401 Unauthorized: the CPE rejected user "cr" \(digest\)/)
    expect(cpe.seen).toHaveLength(2)
    const anonymous = await failure(
      sendConnectionRequest({ url: cpe.url, credentials: { username: '', password: '' } }, options),
    )
    expect(anonymous!.reason).toMatch(/requires credentials and none are known/)
  })

  it('backs off and retries on 503', async () => {
    const cpe = await crServer((_req, res, n) => (n < 3 ? res.writeHead(503).end() : res.writeHead(200).end()))
    expect(
      await sendConnectionRequest({ url: cpe.url, credentials: { username: '', password: '' } }, options),
    ).toMatchObject({
      status: 200,
      attempts: 3,
    })
    const busy = await crServer((_req, res) => res.writeHead(503, { 'Retry-After': '0' }).end())
    const error = await failure(
      sendConnectionRequest({ url: busy.url, credentials: { username: '', password: '' } }, options),
    )
    expect(error!.reason).toMatch(/503 Service Unavailable/)
    expect(busy.seen).toHaveLength(3)
  })

  it('leaves no listener on the caller’s signal once its back-offs are over', async () => {
    // The ACS passes one signal to every connection request it ever sends.
    const signal = new AbortController().signal
    const busy = await crServer((_req, res) => res.writeHead(503).end())
    await failure(
      sendConnectionRequest({ url: busy.url, credentials: { username: '', password: '' } }, { ...options, signal }),
    )
    expect(busy.seen).toHaveLength(3)
    // Each HTTP request lets go of the signal when its connection has closed, just after its answer.
    while (getEventListeners(signal, 'abort').length > 0) await new Promise((r) => setTimeout(r, 5))
    expect(getEventListeners(signal, 'abort')).toHaveLength(0)
  })

  it('names refused connections, timeouts and missing URLs', async () => {
    const closed = await crServer(() => {})
    const port = new URL(closed.url).port
    const s = servers.pop()!
    await new Promise((r) => s.close(r))
    const refused = await failure(
      sendConnectionRequest({ url: closed.url, credentials: { username: '', password: '' } }, options),
    )
    expect(refused!.reason).toBe(
      `connection refused by 127.0.0.1:${port}: nothing listens there — is the CPE up, and is its connection request port open?`,
    )
    const silent = await crServer(() => {})
    const timeout = await failure(
      sendConnectionRequest(
        { url: silent.url, credentials: { username: '', password: '' } },
        { ...options, timeoutMs: 100, retries: 0 },
      ),
    )
    expect(timeout!.reason).toBe(`no answer from 127.0.0.1:${new URL(silent.url).port} within 0.1 s`)
    const none = await failure(sendConnectionRequest({ url: '', credentials: { username: '', password: '' } }, options))
    expect(none!.reason).toBe('the device has not reported a ConnectionRequestURL')
  })
})

describe('waking a device for queued work', () => {
  it('sends a connection request with the reported username and delivers the RPC in the session that follows', async () => {
    acs = await startAcs({ connectionRequest: { username: 'ignored', password: 'secret' } })
    const { bench } = acs
    const cpe = new ManualCpe(acs.url)
    let woken!: () => void
    const wokenUp = new Promise<void>((r) => (woken = r))
    const crDigest = digestCpe('cruser', 'secret')
    const cr = await crServer((req, res) => {
      crDigest(req, res)
      if (res.statusCode === 200) woken()
    })
    const params = [
      { name: 'InternetGatewayDevice.ManagementServer.ConnectionRequestURL', value: cr.url, type: 'xsd:string' },
      { name: 'InternetGatewayDevice.ManagementServer.ConnectionRequestUsername', value: 'cruser', type: 'xsd:string' },
    ]
    await cpe.post(informXml({ serial: 'WAKE', params }))
    await cpe.post(null)
    expect(bench.acs.inSession('WAKE')).toBe(false)

    const result = bench.acs.execute('WAKE', {
      method: 'GetParameterNames',
      parameterPath: 'InternetGatewayDevice.',
      nextLevel: true,
    })
    await wokenUp
    await cpe.post(informXml({ serial: 'WAKE', events: ['6 CONNECTION REQUEST'], params }))
    const rpc = await cpe.post(null)
    expect(rpc.envelope?.body).toEqual({
      method: 'GetParameterNames',
      parameterPath: 'InternetGatewayDevice.',
      nextLevel: true,
    })
    await cpe.post(
      {
        method: 'GetParameterNamesResponse',
        parameterList: [
          { name: 'InternetGatewayDevice.DeviceInfo.', writable: false },
          { name: 'InternetGatewayDevice.LANDevice.', writable: false },
        ],
      },
      rpc.envelope?.header.id,
    )
    await expect(result).resolves.toMatchObject({ method: 'GetParameterNamesResponse' })
    // NextLevel: the listed children stay, ManagementServer (not listed any more) goes.
    const children = bench.store.parameters.children('WAKE', 'InternetGatewayDevice.').map((p) => p.name)
    expect(children).toEqual(['InternetGatewayDevice.DeviceInfo.', 'InternetGatewayDevice.LANDevice.'])
    const crEvents = bench.store.events.query({ serial: 'WAKE', kinds: ['connection-request'] })
    expect(crEvents[0]?.summary).toMatch(/^Connection request accepted \(HTTP 200, digest/)
    cpe.close()
  })

  it('rejects with ConnectionRequestError when the device cannot be woken, unless asked to wait', async () => {
    acs = await startAcs()
    const { bench } = acs
    const cpe = new ManualCpe(acs.url)
    await cpe.post(informXml({ serial: 'DEAD', crUrl: 'http://127.0.0.1:1/cr' }))
    await cpe.post(null)
    const error = await bench.acs.execute('DEAD', { method: 'Reboot', commandKey: '' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionRequestError)
    expect((error as ConnectionRequestError).reason).toMatch(/^connection refused by 127\.0\.0\.1:1/)
    expect(bench.acs.rpcs('DEAD')[0]).toMatchObject({ method: 'Reboot', state: 'error' })

    const waiting = bench.acs.execute('DEAD', { method: 'FactoryReset' }, { onUnreachable: 'wait' })
    await expect(bench.acs.wake('DEAD')).rejects.toBeInstanceOf(ConnectionRequestError)
    expect(bench.acs.rpcs('DEAD')[0]).toMatchObject({ method: 'FactoryReset', state: 'queued' })
    await cpe.post(informXml({ serial: 'DEAD', events: ['2 PERIODIC'] }))
    const sent = await cpe.post(null)
    expect(sent.envelope?.body).toEqual({ method: 'FactoryReset' })
    await cpe.post({ method: 'FactoryResetResponse' }, sent.envelope?.header.id)
    await expect(waiting).resolves.toEqual({ method: 'FactoryResetResponse' })
    cpe.close()
  })

  it('does not fail work queued while an earlier connection request was still under way', async () => {
    acs = await startAcs()
    const { bench } = acs
    // The first connection request hangs, then is refused; the next one is accepted.
    let refuseFirst!: () => void
    let arrived!: () => void
    const firstArrived = new Promise<void>((r) => (arrived = r))
    const { url: crUrl } = await crServer((_req, res, n) => {
      if (n > 1) return res.writeHead(200).end()
      refuseFirst = () => res.writeHead(404).end()
      arrived()
    })
    const cpe = new ManualCpe(acs.url)
    await cpe.post(informXml({ serial: 'RACE', crUrl }))
    await cpe.post(null)

    const early = bench.acs.execute('RACE', { method: 'GetRPCMethods' })
    await firstArrived
    // Meanwhile the device comes by itself (a periodic inform) and takes the queued work.
    await cpe.post(informXml({ serial: 'RACE', crUrl, events: ['2 PERIODIC'] }))
    const sent = await cpe.post(null)
    expect((await cpe.post({ method: 'GetRPCMethodsResponse', methodList: [] }, sent.envelope?.header.id)).status).toBe(
      204,
    )
    await expect(early).resolves.toMatchObject({ method: 'GetRPCMethodsResponse' })

    // New work, queued while that first connection request is still pending, then refused.
    const late = bench.acs.execute('RACE', { method: 'GetParameterNames', parameterPath: '', nextLevel: true })
    const woken = nextEvent(bench, 'event.logged', (e) => e.kind === 'connection-request' && e.severity !== 'warn')
    refuseFirst()
    // The refusal was about the earlier work: the new work gets its own connection request.
    await woken
    await cpe.post(informXml({ serial: 'RACE', crUrl, events: ['6 CONNECTION REQUEST'] }))
    const rpc = await cpe.post(null)
    expect(rpc.envelope?.body).toMatchObject({ method: 'GetParameterNames' })
    await cpe.post({ method: 'GetParameterNamesResponse', parameterList: [] }, rpc.envelope?.header.id)
    await expect(late).resolves.toMatchObject({ method: 'GetParameterNamesResponse' })
    cpe.close()
  })
})

describe('connection requests a hostile CPE chooses', () => {
  /** A device known from one session from 127.0.0.1 that reported `crUrl`. */
  async function deviceWith(serial: string, crUrl: string) {
    const cpe = new ManualCpe(acs!.url)
    await cpe.post(informXml({ serial, crUrl }))
    await cpe.post(null)
    cpe.close()
  }
  const securityEvents = (serial: string) =>
    acs!.bench.store.events.query({ serial, kinds: ['security'] }).map((e) => e.summary)

  it('sends the bench-wide password with Basic to no one, unless allowed for that device', async () => {
    acs = await startAcs({ connectionRequest: { username: 'bench', password: 'bench-secret' } })
    const basicOnly = await crServer((req, res) =>
      checkBasic(req.headers.authorization, { username: 'bench', password: 'bench-secret' })
        ? res.writeHead(200).end()
        : res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cpe"' }).end(),
    )
    await deviceWith('BASIC', basicOnly.url)
    const error = await acs.bench.acs.wake('BASIC').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionRequestError)
    expect((error as ConnectionRequestError).reason).toMatch(/Basic authentication only/)
    expect(basicOnly.seen.map((r) => r.headers.authorization)).toEqual([undefined])
    expect(securityEvents('BASIC')[0]).toMatch(/^Connection request refused: the CPE asks for Basic/)

    acs.bench.acs.setDevicePolicy('BASIC', { allowBasicCr: true })
    await expect(acs.bench.acs.wake('BASIC')).resolves.toMatchObject({ status: 200, auth: 'basic' })
  })

  it('wakes only URLs on the address the device’s sessions come from, without a query, unless confirmed', async () => {
    acs = await startAcs({ connectionRequest: { username: 'bench', password: 'bench-secret' } })
    const target = await crServer((_req, res) => res.writeHead(200).end())
    const port = new URL(target.url).port
    const cases: [string, string, RegExp][] = [
      ['OTHERHOST', 'http://192.0.2.10:7547/cr', /points at 192\.0\.2\.10, not at 127\.0\.0\.1/],
      ['BYNAME', `http://localhost:${port}/cr/abc`, /names host "localhost"/],
      ['QUERY', `${target.url}?next=http://192.0.2.10/`, /has a query string/],
      ['USERINFO', `http://u:p@127.0.0.1:${port}/cr/abc`, /carries credentials/],
    ]
    for (const [serial, url, why] of cases) {
      await deviceWith(serial, url)
      const error = await acs.bench.acs.wake(serial).catch((e: unknown) => e)
      expect((error as ConnectionRequestError).reason).toMatch(why)
      expect(securityEvents(serial)[0]).toMatch(/^Connection request refused: /)
    }
    expect(target.seen).toHaveLength(0)

    // Its own address: woken. A URL the technician confirmed: woken too.
    await deviceWith('OWNHOST', target.url)
    await expect(acs.bench.acs.wake('OWNHOST')).resolves.toMatchObject({ status: 200 })
    acs.bench.acs.setDevicePolicy('BYNAME', { confirmedCrUrl: `http://localhost:${port}/cr/abc` })
    await expect(acs.bench.acs.wake('BYNAME')).resolves.toMatchObject({ status: 200 })
    expect(target.seen).toHaveLength(2)
  })

  it('refuses to wake a device whose sessions were never seen (the URL alone vouches for nothing)', async () => {
    acs = await startAcs()
    const target = await crServer((_req, res) => res.writeHead(200).end())
    acs.bench.store.devices.upsert('IMPORTED', { connectionRequestUrl: target.url })
    const error = await acs.bench.acs.wake('IMPORTED').catch((e: unknown) => e)
    expect((error as ConnectionRequestError).reason).toMatch(/no session from this device has been seen/)
    expect(target.seen).toHaveLength(0)
  })
})
