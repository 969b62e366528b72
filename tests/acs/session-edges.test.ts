import { downloadRequest } from '../../main/core/cwmp'
import { afterEach, describe, expect, it } from 'vitest'
import { RpcTimeoutError } from '../../main/core/acs'
import { informXml, ManualCpe, nextEvent, startAcs, storeHealth, type TestAcs } from './helpers'

let acs: TestAcs
const cpes: ManualCpe[] = []
const cpe = (o: ConstructorParameters<typeof ManualCpe>[1] = {}) => {
  const c = new ManualCpe(acs.url, o)
  cpes.push(c)
  return c
}

afterEach(async () => {
  for (const c of cpes.splice(0)) c.close()
  await acs?.close()
})

const kinds = (t: TestAcs, kind: 'fault' | 'security') => t.bench.store.events.query({ kinds: [kind] })

describe('ACS sessions at the edges', () => {
  it('answers messages outside a session with 400 and logs them', async () => {
    acs = await startAcs()
    const c = cpe()
    const early = await c.post({ method: 'GetRPCMethods' }, 'x1')
    expect(early.status).toBe(400)
    expect(early.text).toMatch(/outside a CWMP session: a session starts with an Inform/)
    const empty = await c.post(null)
    expect(empty.status).toBe(400)
    const response = await c.post({ method: 'RebootResponse' }, 'x2')
    expect(response.status).toBe(400)
    expect(kinds(acs, 'fault').length).toBe(3)
    // The ACS still works for a proper session right after.
    expect((await c.post(informXml({ serial: 'AFTER' }))).status).toBe(200)
    expect((await c.post(null)).status).toBe(204)
  })

  it('logs an answer when no RPC was outstanding, and a CPE request despite HoldRequests', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'OOO' }))
    const stray = await c.post({ method: 'GetParameterValuesResponse', parameterList: [] }, 'nope')
    expect(stray.status).toBe(204) // nothing queued: the session ends
    expect(kinds(acs, 'fault').map((e) => e.summary)).toContain(
      'OOO sent GetParameterValuesResponse but no RPC was outstanding',
    )

    await c.post(informXml({ serial: 'OOO' }))
    const result = acs.bench.acs.execute('OOO', { method: 'Reboot', commandKey: 'rb' })
    const rpc = await c.post(null)
    expect(rpc.envelope?.header.holdRequests).toBe(true)
    // The CPE ignores HoldRequests and sends a request first: answered, logged, RPC still outstanding.
    const tc = await c.post({ method: 'GetRPCMethods' }, 'g')
    expect(tc.envelope?.body).toMatchObject({ method: 'GetRPCMethodsResponse' })
    expect(kinds(acs, 'fault').map((e) => e.summary)).toContain(
      'OOO sent GetRPCMethods although the ACS had set HoldRequests',
    )
    expect((await c.post({ method: 'RebootResponse' }, rpc.envelope?.header.id)).status).toBe(204)
    await expect(result).resolves.toEqual({ method: 'RebootResponse' })
  })

  it('takes requests a CPE held until after the 204, in the same session', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'HELD' }))
    const rpc = acs.bench.acs.execute(
      'HELD',
      downloadRequest({ commandKey: 'fw', fileType: '1 Firmware Upgrade Image', url: 'http://files/fw' }),
    )
    const sent = await c.post(null)
    const ended = nextEvent(acs.bench, 'session.ended')
    const end = await c.post(
      { method: 'DownloadResponse', status: 1, startTime: '', completeTime: '' },
      sent.envelope?.header.id,
    )
    expect(end.status).toBe(204)
    await expect(rpc).resolves.toMatchObject({ status: 1 })
    expect((await ended).reason).toBe('completed')
    // The transfer finished during the session: the CPE now sends its TransferComplete.
    const transfer = nextEvent(acs.bench, 'transfer.completed')
    const again = nextEvent(acs.bench, 'session.ended')
    const ack = await c.post(
      {
        method: 'TransferComplete',
        commandKey: 'fw',
        faultStruct: { faultCode: 0, faultString: '' },
        startTime: '',
        completeTime: '',
      },
      'tc',
    )
    expect(ack.envelope?.body).toEqual({ method: 'TransferCompleteResponse' })
    expect(await transfer).toMatchObject({ method: 'Download', commandKey: 'fw', fault: { code: 0 } })
    expect((await c.post(null)).status).toBe(204)
    expect((await again).reason).toBe('completed')
  })

  it('fails an RPC answered with the wrong response, and keeps going', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'WRONG' }))
    const first = acs.bench.acs.execute('WRONG', { method: 'FactoryReset' }).catch((e: unknown) => e)
    const second = acs.bench.acs.execute('WRONG', { method: 'GetRPCMethods' })
    const r1 = await c.post(null)
    expect(r1.envelope?.body).toEqual({ method: 'FactoryReset' })
    const r2 = await c.post({ method: 'RebootResponse' }, r1.envelope?.header.id)
    expect(String(await first)).toBe('Error: WRONG answered FactoryReset with RebootResponse')
    expect(r2.envelope?.body).toEqual({ method: 'GetRPCMethods' })
    expect(
      (await c.post({ method: 'GetRPCMethodsResponse', methodList: ['Inform'] }, r2.envelope?.header.id)).status,
    ).toBe(204)
    await expect(second).resolves.toEqual({ method: 'GetRPCMethodsResponse', methodList: ['Inform'] })
  })

  it('fails a queued request that cannot be written on its own, and the session goes on', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'POISON' }))
    // What a caller outside TypeScript's reach can pass: not a CWMP request.
    const broken = acs.bench.acs
      .execute('POISON', { method: 'GetParameterValues', parameterNames: [undefined as unknown as string] })
      .catch((e: unknown) => e)
    const fine = acs.bench.acs.execute('POISON', { method: 'GetRPCMethods' })
    const sent = await c.post(null)
    expect(sent.status).toBe(200)
    expect(sent.envelope?.body).toEqual({ method: 'GetRPCMethods' })
    expect(String(await broken)).toMatch(/^Error: GetParameterValues to POISON could not be sent: /)
    expect(acs.bench.acs.rpcs('POISON').find((r) => r.method === 'GetParameterValues')?.state).toBe('error')
    expect((await c.post({ method: 'GetRPCMethodsResponse', methodList: [] }, sent.envelope?.header.id)).status).toBe(
      204,
    )
    await expect(fine).resolves.toEqual({ method: 'GetRPCMethodsResponse', methodList: [] })
  })

  it('times a silent session out, and sends an unanswered idempotent RPC again in the next session', async () => {
    acs = await startAcs({ cwmp: { sessionTimeoutMs: 300 } })
    const c = cpe()
    await c.post(informXml({ serial: 'SLOW' }))
    const gpv = acs.bench.acs.execute(
      'SLOW',
      { method: 'GetParameterValues', parameterNames: ['A.B'] },
      { onUnreachable: 'wait' },
    )
    const reboot = acs.bench.acs.execute('SLOW', { method: 'Reboot', commandKey: '' }, { onUnreachable: 'wait' })
    const ended = nextEvent(acs.bench, 'session.ended')
    const sent = await c.post(null)
    expect(sent.envelope?.body).toMatchObject({ method: 'GetParameterValues' })
    // The CPE never answers.
    expect(await ended).toMatchObject({ serial: 'SLOW', reason: 'timeout' })
    expect(acs.bench.acs.inSession('SLOW')).toBe(false)
    expect(acs.bench.acs.rpcs('SLOW').map((r) => [r.method, r.state])).toEqual([
      ['GetParameterValues', 'queued'],
      ['Reboot', 'queued'],
    ])
    // A late answer on the dead session is only logged.
    expect(
      (await c.post({ method: 'GetParameterValuesResponse', parameterList: [] }, sent.envelope?.header.id)).status,
    ).toBe(204)

    await c.post(informXml({ serial: 'SLOW', events: ['2 PERIODIC'] }))
    const again = await c.post(null)
    expect(again.envelope?.body).toMatchObject({ method: 'GetParameterValues' })
    const next = await c.post(
      { method: 'GetParameterValuesResponse', parameterList: [{ name: 'A.B', value: '1', type: 'xsd:int' }] },
      again.envelope?.header.id,
    )
    await expect(gpv).resolves.toMatchObject({ parameterList: [{ name: 'A.B', value: '1' }] })
    expect(next.envelope?.body).toMatchObject({ method: 'Reboot' })
    await c.post({ method: 'RebootResponse' }, next.envelope?.header.id)
    await expect(reboot).resolves.toEqual({ method: 'RebootResponse' })
  })

  it('times out an RPC that gets no answer and applies a late answer to the store only', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'LATE' }))
    const gpv = acs.bench.acs.execute(
      'LATE',
      { method: 'GetParameterValues', parameterNames: ['X.Y'] },
      { timeoutMs: 50 },
    )
    const sent = await c.post(null)
    const error = await gpv.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcTimeoutError)
    expect(acs.bench.acs.rpcs('LATE')[0]).toMatchObject({ state: 'timeout' })
    await c.post(
      { method: 'GetParameterValuesResponse', parameterList: [{ name: 'X.Y', value: 'late', type: 'xsd:string' }] },
      sent.envelope?.header.id,
    )
    expect(acs.bench.store.parameters.get('LATE', 'X.Y')?.value).toBe('late')
  })

  it('cancels a queued RPC through its AbortSignal', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'ABORT' }))
    const controller = new AbortController()
    const rpc = acs.bench.acs.execute('ABORT', { method: 'FactoryReset' }, { signal: controller.signal })
    controller.abort()
    await expect(rpc).rejects.toMatchObject({ name: 'RpcCancelledError' })
    expect((await c.post(null)).status).toBe(204)
    await expect(acs.bench.acs.execute('NOBODY', { method: 'FactoryReset' })).rejects.toMatchObject({
      name: 'UnknownDeviceError',
    })
  })

  it('lets a second Inform from the same serial replace the live session', async () => {
    acs = await startAcs()
    const a = cpe()
    const b = cpe()
    await a.post(informXml({ serial: 'DUP' }))
    const replaced = nextEvent(acs.bench, 'session.ended')
    await b.post(informXml({ serial: 'DUP', events: ['1 BOOT'] }))
    expect(await replaced).toMatchObject({ serial: 'DUP', reason: 'replaced' })
    expect(acs.bench.acs.activeSessions()).toHaveLength(1)
    // The old session's cookie and connection lead nowhere now: whatever comes on them is answered
    // as outside a session (400), an empty POST or an answer as much as a request.
    const stale = await a.post({ method: 'GetRPCMethods' }, 'old')
    expect(stale.status).toBe(400)
    expect((await a.post(null)).status).toBe(400)
    expect((await a.post({ method: 'RebootResponse' }, 'old')).status).toBe(400)
    expect((await b.post(null)).status).toBe(204)
    // Nor does the replaced session come back once its successor is over.
    expect((await a.post({ method: 'GetRPCMethods' }, 'late')).status).toBe(400)
    expect(acs.bench.store.devices.count()).toBe(1)
    expect(storeHealth(acs.bench).integrity).toBe('ok')
  })

  it('marks overdue devices offline in the status sweep', async () => {
    acs = await startAcs()
    const c = cpe()
    await c.post(informXml({ serial: 'SWEEP', interval: 60 }))
    await c.post(null)
    expect(acs.bench.acs.sweep(Date.now() + 60_000)).toEqual([])
    const updated = nextEvent(acs.bench, 'device.updated')
    const changed = acs.bench.acs.sweep(Date.now() + 2 * 60_000 + 61_000)
    expect(changed.map((d) => [d.serial, d.status])).toEqual([['SWEEP', 0]])
    expect((await updated).device.status).toBe(0)
  })
})

describe('CPE authentication', () => {
  it('Basic: challenges, logs wrong credentials, accepts the right ones', async () => {
    acs = await startAcs({ cwmp: { auth: { mode: 'basic', username: 'cpe', password: 'pw', realm: 'Bench' } } })
    const anonymous = await cpe().post(informXml({ serial: 'B1' }))
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="Bench"')
    expect(kinds(acs, 'security')).toHaveLength(0)

    const wrong = await cpe({ credentials: { username: 'cpe', password: 'nope' } }).post(informXml({ serial: 'B1' }))
    expect(wrong.status).toBe(401)
    expect(kinds(acs, 'security')[0]?.summary).toMatch(
      /CPE authentication failed .*user "cpe".*wrong Basic credentials/,
    )

    const good = cpe({ credentials: { username: 'cpe', password: 'pw' } })
    expect((await good.post(informXml({ serial: 'B1' }))).status).toBe(200)
    expect((await good.post(null)).status).toBe(204)
    expect(acs.bench.store.devices.count()).toBe(1)
  })

  it('per-device credentials vouch for that device only, and such a device needs its own', async () => {
    const own = { serial: 'OWN', username: 'own-user', password: 'own-pw' }
    acs = await startAcs({
      cwmp: { auth: { mode: 'digest', username: 'cpe', password: 'pw', realm: 'Bench', devices: [own] } },
    })
    const ownCreds = { username: own.username, password: own.password }
    const posing = await cpe({ credentials: ownCreds }).post(informXml({ serial: 'OTHER' }))
    expect(posing.status).toBe(403)
    const benchWide = await cpe({ credentials: { username: 'cpe', password: 'pw' } }).post(informXml({ serial: 'OWN' }))
    expect(benchWide.status).toBe(403)
    expect(
      kinds(acs, 'security')
        .map((e) => e.summary)
        .join('\n'),
    ).toMatch(/Refused a message for OTHER .* authenticated with the credentials of OWN/)
    expect(acs.bench.store.devices.count()).toBe(0)

    const good = cpe({ credentials: ownCreds })
    expect((await good.post(informXml({ serial: 'OWN' }))).status).toBe(200)
    expect((await good.post(null)).status).toBe(204)
    const others = cpe({ credentials: { username: 'cpe', password: 'pw' } })
    expect((await others.post(informXml({ serial: 'ANY' }))).status).toBe(200)
    expect(acs.bench.store.devices.list().map((d) => d.serial)).toEqual(['ANY', 'OWN'])
  })

  it('Digest: qop=auth with fresh nonces; a replayed Authorization header is refused and logged', async () => {
    acs = await startAcs({ cwmp: { auth: { mode: 'digest', username: 'cpe', password: 'pw', realm: 'Bench' } } })
    const good = cpe({ credentials: { username: 'cpe', password: 'pw' } })
    const first = await good.post(informXml({ serial: 'D1' }))
    expect(first.status).toBe(200)
    expect((await good.post(null)).status).toBe(204)

    // Capture one valid Authorization header and replay it for a new Inform.
    const probe = cpe()
    const challenge = await probe.post(informXml({ serial: 'D2' }))
    expect(String(challenge.headers['www-authenticate'])).toMatch(
      /^Digest realm="Bench", qop="auth", nonce="[0-9a-f]{32}"/,
    )
    const { DigestClient } = await import('../../main/core/cwmp')
    const header = new DigestClient(String(challenge.headers['www-authenticate']), {
      username: 'cpe',
      password: 'pw',
    }).authorization('POST', '/')
    const once = cpe()
    expect((await once.send(informXml({ serial: 'D2' }), { Authorization: header })).status).toBe(200)
    const replay = cpe()
    const replayed = await replay.send(informXml({ serial: 'D3' }), { Authorization: header })
    expect(replayed.status).toBe(401)
    expect(
      kinds(acs, 'security')
        .map((e) => e.summary)
        .join('\n'),
    ).toMatch(/replayed request/)

    const wrong = await cpe({ credentials: { username: 'cpe', password: 'bad' } }).post(informXml({ serial: 'D4' }))
    expect(wrong.status).toBe(401)
    expect(
      kinds(acs, 'security')
        .map((e) => e.summary)
        .join('\n'),
    ).toMatch(/wrong Digest password/)
    expect(acs.bench.store.devices.list().map((d) => d.serial)).toEqual(['D1', 'D2'])
  })
})
