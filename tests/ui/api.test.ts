import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiService, type BenchApiService } from '../../main/api'
import { createBench, type Bench } from '../../main/core/bench'
import type { DeepPartial, BenchConfig } from '../../main/core/config'
import { DeviceStatus } from '../../main/core/store'
import { encodeEnvelope } from '../../main/core/cwmp'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { informXml, ManualCpe } from '../acs/helpers'
import { ok } from '../support/api-reply'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function open(
  dir: string,
  overrides: DeepPartial<BenchConfig> = {},
): Promise<{ bench: Bench; api: BenchApiService }> {
  const bench = await createBench({ dataDir: dir, ...overrides }, { log: () => {} })
  const api = createApiService(bench, { shell: 'browser', version: 'test' })
  cleanups.push(async () => {
    await api.close()
    await bench.close()
  })
  return { bench, api }
}

describe('API service', () => {
  it('pages and filters devices, and never hands out connection request passwords', async () => {
    const { bench, api } = await open(tempDir(), { cwmp: { port: 0, bind: '127.0.0.1' } })
    bench.store.transaction(() => {
      for (let i = 0; i < 250; i++)
        bench.store.devices.upsert(`SN${String(i).padStart(4, '0')}`, {
          model: i % 2 ? 'Odd-100' : 'Even-200',
          status: i % 5 === 0 ? DeviceStatus.Online : DeviceStatus.Offline,
          connectionRequestPassword: 'hunter2',
        })
    })
    const page = await ok<{ total: number; rows: { serial: string }[] }>(
      api.call('devices.list', [{ offset: 200, limit: 100 }]),
    )
    expect(page.total).toBe(250)
    expect(page.rows.map((r) => r.serial)).toEqual(
      Array.from({ length: 50 }, (_, i) => `SN${String(200 + i).padStart(4, '0')}`),
    )
    const filtered = await ok<{ total: number }>(
      api.call('devices.list', [{ text: 'odd', status: DeviceStatus.Online }]),
    )
    expect(filtered.total).toBe(25)
    expect(JSON.stringify(await ok(api.call('devices.get', ['SN0001'])))).not.toContain('hunter2')
    expect(JSON.stringify(page)).not.toContain('hunter2')
    const newest = await ok<{ rows: { serial: string }[] }>(
      api.call('devices.list', [{ sort: 'model', descending: true, limit: 2 }]),
    )
    expect(newest.rows.map((r) => r.serial)).toEqual(['SN0001', 'SN0003'])
    expect(await api.call('devices.list', [{ sort: 'cr_password' }])).toMatchObject({ ok: false })
    // Wildcards in the search are literal text.
    expect(await ok(api.call('devices.list', [{ text: '%' }]))).toMatchObject({ total: 0 })
    expect(await api.call('devices.list', [{ limit: 5000 }])).toMatchObject({
      ok: false,
      error: { name: 'BadRequestError' },
    })
  })

  it('shows a device in a session as "in session", and removes a device with an event that is synced', async () => {
    const { bench, api } = await open(tempDir(), { cwmp: { port: 0, bind: '127.0.0.1' } })
    const { url } = await bench.acs.listen()
    // A CPE's Inform opens a session that stays open until its empty POST: the UI shows status 1
    // while the store keeps the device online (2), as Oktopus does.
    const inform = encodeEnvelope(
      'cwmp-1-0',
      { id: '1' },
      {
        method: 'Inform',
        deviceId: { manufacturer: 'ACME', oui: '000000', productClass: 'R', serialNumber: 'LIVE1' },
        event: [{ eventCode: '1 BOOT', commandKey: '' }],
        maxEnvelopes: 1,
        currentTime: new Date().toISOString(),
        retryCount: 0,
        parameterList: [],
      },
    )
    const res = await fetch(url, { method: 'POST', body: inform, headers: { 'Content-Type': 'text/xml' } })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    expect(bench.store.devices.get('LIVE1')?.status).toBe(DeviceStatus.Online)
    expect(await ok(api.call('devices.get', ['LIVE1']))).toMatchObject({ status: 1 })
    expect(await ok(api.call('devices.list', [{ status: 1 }]))).toMatchObject({ total: 1, rows: [{ serial: 'LIVE1' }] })
    const end = await fetch(url, { method: 'POST', body: '', headers: { Cookie: cookie } })
    expect(end.status).toBe(204)
    expect(await ok(api.call('devices.get', ['LIVE1']))).toMatchObject({ status: 2 })
    expect(await ok(api.call('devices.list', [{ status: 1 }]))).toMatchObject({ total: 0 })

    const outboxBefore = bench.store.outbox.maxSeq()
    expect(await ok(api.call('devices.remove', ['LIVE1']))).toBe(true)
    expect(bench.store.devices.get('LIVE1')).toBeUndefined()
    const [removal] = bench.store.events.query({ serial: 'LIVE1', kinds: ['system'] })
    expect(removal?.summary).toContain('removed from the device list')
    expect(bench.store.outbox.after(outboxBefore, 10)).toMatchObject([{ topic: 'event', key: 'LIVE1' }])
    expect(await ok(api.call('devices.remove', ['LIVE1']))).toBe(false)
  })

  it('checks values against their xsd type and writability before anything is sent', async () => {
    const { bench, api } = await open(tempDir(), { cwmp: { port: 0, bind: '127.0.0.1' } })
    bench.store.devices.upsert('SN1', {})
    bench.store.parameters.upsert('SN1', [
      { name: 'IGD.MS.PeriodicInformInterval', value: '300', type: 'xsd:unsignedInt', writable: true },
      { name: 'IGD.DeviceInfo.SerialNumber', value: 'SN1', type: 'xsd:string', writable: false },
    ])
    const set = (name: string, value: string) => api.call('devices.setParameters', ['SN1', [{ name, value }]])
    expect(await set('IGD.MS.PeriodicInformInterval', '-5')).toMatchObject({
      ok: false,
      error: { name: 'BadRequestError', message: expect.stringContaining('unsignedInt') },
    })
    expect(await set('IGD.DeviceInfo.SerialNumber', 'X')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('read-only') },
    })
    expect(await set('IGD.MS.', '1')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('object') },
    })
    expect(await api.call('devices.setParameters', ['NOPE', [{ name: 'a', value: '1' }]])).toMatchObject({
      ok: false,
      error: { name: 'NotFoundError' },
    })
    expect(bench.acs.rpcs('SN1')).toEqual([])
  })

  it('pages events newest first and exports CSV that a spreadsheet cannot execute', async () => {
    const { bench, api } = await open(tempDir(), { cwmp: { port: 0, bind: '127.0.0.1' } })
    for (let i = 0; i < 30; i++) bench.journal.record({ kind: 'rpc', serial: 'SN1', summary: `rpc ${i}` })
    bench.journal.record({
      kind: 'fault',
      severity: 'error',
      serial: 'SN2',
      summary: '=HYPERLINK("http://x"), "quoted"',
    })
    const first = await ok<{ rows: { seq: number; summary: string }[]; total: number }>(
      api.call('events.page', [{ limit: 10, kinds: ['rpc'] }]),
    )
    expect(first.total).toBe(30)
    expect(first.rows[0]!.summary).toBe('rpc 29')
    const next = await ok<{ rows: { summary: string }[] }>(
      api.call('events.page', [{ limit: 10, kinds: ['rpc'], beforeSeq: first.rows[9]!.seq }]),
    )
    expect(next.rows[0]!.summary).toBe('rpc 19')
    expect(await ok(api.call('events.page', [{ severity: 'error' }]))).toMatchObject({ total: 1 })

    const csv = await ok<{ content: string; rows: number; fileName: string }>(api.call('events.export', [{}, 'csv']))
    expect(csv.rows).toBe(31)
    expect(csv.fileName).toMatch(/\.csv$/)
    const lines = csv.content.trim().split('\r\n')
    expect(lines[0]).toBe('seq,time,kind,severity,serial,summary,detail')
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x""), ""quoted"""`)
    const json = await ok<{ content: string }>(api.call('events.export', [{ serial: 'SN2' }, 'json']))
    expect(JSON.parse(json.content)).toMatchObject([{ kind: 'fault', serial: 'SN2' }])
  })

  it('saves settings, restarts the listener on a new port, and stays put when the port is taken', async () => {
    const dir = tempDir()
    const { bench, api } = await open(dir, { cwmp: { bind: '127.0.0.1', port: 0 } })
    await bench.acs.listen()
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()))
    cleanups.push(() => new Promise<void>((r) => (blocker.listening ? blocker.close(() => r()) : r())))
    const taken = (blocker.address() as { port: number }).port

    // A port in use is no use saved: the listener stays where CPEs reach it, the rest is saved.
    const failed = await ok<{
      warnings: string[]
      acs: { listening: boolean; port: number }
      settings: { acs: { port: number } }
    }>(api.call('settings.save', [{ acs: { port: taken }, connectionRequest: { username: 'tech', password: 'pw' } }]))
    expect(failed.acs.listening).toBe(true)
    expect(failed.acs.port).not.toBe(taken)
    expect(failed.settings.acs.port).toBe(0)
    expect(failed.warnings.join()).toMatch(/could not move: .*in use.*It stays at http:\/\/127\.0\.0\.1:\d+\//)
    expect(bench.store.settings.get<{ cwmp?: { port?: number } }>('config', {}).cwmp?.port).toBeUndefined()
    const res = await fetch(bench.acs.address!.url, { method: 'POST', body: '' })
    expect(res.status).toBeLessThan(500)

    // Once the other program lets go of the port, the same save moves the listener there.
    await new Promise<void>((r) => blocker.close(() => r()))
    const moved = await ok<{ notes: string[]; acs: { listening: boolean; port: number; urls: string[] } }>(
      api.call('settings.save', [{ acs: { port: taken, bind: '127.0.0.1' } }]),
    )
    expect(moved.acs.listening).toBe(true)
    expect(moved.acs.port).toBe(taken)
    expect(moved.notes.join()).toContain(`restarted`)
    expect(await api.call('settings.save', [{ acs: { bind: 'not an address' } }])).toMatchObject({ ok: false })
    expect(await api.call('settings.save', [{ acs: { tlsCertFile: '/x.pem' } }])).toMatchObject({ ok: false })
    await api.close()
    await bench.close()

    // What was saved applies at the next start, under that start's explicit overrides.
    const again = await open(dir, { cwmp: { port: 0 } })
    expect(again.bench.config.connectionRequest).toMatchObject({ username: 'tech', password: 'pw' })
    expect(again.bench.config.cwmp.bind).toBe('127.0.0.1')
    expect(await ok(again.api.call('settings.get', []))).toMatchObject({
      acs: { port: 0, bind: '127.0.0.1' },
      connectionRequest: { username: 'tech' },
    })
  })
})

describe('API service: scripts', () => {
  it('duplicates under a free name, reports syntax errors by line, and replaces triggers all or nothing', async () => {
    const { api } = await open(tempDir(), { cwmp: { port: 0, bind: '127.0.0.1' } })
    const script = await ok<{ id: string; name: string }>(api.call('scripts.create', ['Probe', 'print("hi")']))
    const copy = await ok<{ name: string }>(api.call('scripts.duplicate', [script.id]))
    const again = await ok<{ name: string }>(api.call('scripts.duplicate', [script.id]))
    expect([copy.name, again.name]).toEqual(['Probe copy', 'Probe copy 2'])
    expect(await ok(api.call('scripts.check', ['print(1)\nprint(2)\nif then\n']))).toMatchObject([{ line: 3 }])
    expect(await ok(api.call('scripts.check', ['print(1)']))).toEqual([])

    const set = (list: unknown[]) => api.call('scripts.setTriggers', [script.id, list])
    const first = await ok<{ id: string; events: string[] }[]>(
      set([
        { kind: 'event', events: ['1 BOOT'] },
        { kind: 'schedule', everySeconds: 60, target: { kind: 'all' } },
      ]),
    )
    expect(first).toHaveLength(2)
    // A bad trigger in the list changes nothing.
    expect(
      await set([{ id: first[0]!.id, kind: 'event', events: ['2 PERIODIC'] }, { kind: 'schedule' }]),
    ).toMatchObject({
      ok: false,
      error: { name: 'BadRequestError' },
    })
    expect(await ok(api.call('scripts.triggers', [script.id]))).toHaveLength(2)
    const second = await ok<{ id: string; events: string[] }[]>(
      set([{ id: first[0]!.id, kind: 'event', events: ['2 PERIODIC'] }]),
    )
    expect(second).toMatchObject([{ id: first[0]!.id, events: ['2 PERIODIC'] }])
    expect(await api.call('scripts.run', [script.id, { kind: 'devices', serials: [] }])).toMatchObject({ ok: false })
    expect(await api.call('scripts.save', ['no-such-id', 'x'])).toMatchObject({
      ok: false,
      error: { name: 'NotFoundError' },
    })
  })
})

describe('API service: device trust', () => {
  it('lets the technician confirm a connection request URL the ACS refused, on the Trust settings', async () => {
    const { bench, api } = await open(tempDir(), { cwmp: { port: 0, bind: '127.0.0.1' } })
    const address = await bench.acs.listen()
    let woken = 0
    const cpeSide = createHttpServer((_req, res) => {
      woken++
      res.writeHead(200).end()
    })
    await new Promise<void>((r) => cpeSide.listen(0, '127.0.0.1', r))
    cleanups.push(() => new Promise<void>((r) => cpeSide.close(() => r())))
    // A CPE whose connection request URL carries a query string, which TR-069's form has not.
    const crUrl = `http://127.0.0.1:${(cpeSide.address() as AddressInfo).port}/cr?session=1`
    const cpe = new ManualCpe(`http://127.0.0.1:${address.port}/`)
    await cpe.post(informXml({ serial: 'TRUSTME', crUrl }))
    await cpe.post(null)
    cpe.close()

    // Learned from its sessions: where they come from, and the local address they arrive on.
    const LEARNED = { sessionAddress: '127.0.0.1', sessionLocalAddress: '127.0.0.1' }
    const refused = await ok<{ ok: boolean; message: string }>(api.call('devices.wake', ['TRUSTME']))
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/query string.*Trust tab/) })
    expect(woken).toBe(0)
    expect(await ok(api.call('devices.trust', ['TRUSTME']))).toEqual(LEARNED)

    const bad = await api.call('devices.setTrust', ['TRUSTME', { confirmedCrUrl: 'file:///etc/passwd' }])
    expect(bad).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
    const notFlag = await api.call('devices.setTrust', ['TRUSTME', { allowBasicCr: 'yes' }])
    expect(notFlag).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
    expect(await ok(api.call('devices.trust', ['TRUSTME']))).toEqual(LEARNED)

    expect(await ok(api.call('devices.setTrust', ['TRUSTME', { confirmedCrUrl: crUrl }]))).toEqual({
      ...LEARNED,
      confirmedCrUrl: crUrl,
    })
    const woke = await ok<{ ok: boolean; message: string }>(api.call('devices.wake', ['TRUSTME']))
    expect(woke).toMatchObject({ ok: true })
    expect(woken).toBe(1)
    const logged = bench.store.events.query({ serial: 'TRUSTME', kinds: ['security'] }).map((e) => e.summary)
    expect(logged).toContainEqual(expect.stringMatching(/^Device settings of TRUSTME changed/))
    expect(await api.call('devices.trust', ['NOSUCH'])).toMatchObject({ ok: false, error: { name: 'NotFoundError' } })

    // Removed from the list, it takes its trust along: a CPE informing with its serial starts over.
    expect(await ok(api.call('devices.remove', ['TRUSTME']))).toBe(true)
    expect(bench.acs.devicePolicy('TRUSTME')).toEqual({})
  })
})
