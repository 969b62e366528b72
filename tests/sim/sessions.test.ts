import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimEvent, type SimFleet } from '../../main/core/sim'
import { freePort, nextInform, nextSimEvent, startBench } from './helpers'

// Sessions between simulated CPEs and the real ACS (createBench + acs.listen on port 0).

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function acs(overrides: Parameters<typeof startBench>[0] = {}) {
  const a = await startBench(overrides)
  cleanups.push(a.close)
  return a
}

async function sim(options: Parameters<typeof startSimulator>[0]): Promise<SimFleet> {
  const fleet = await startSimulator(options)
  cleanups.push(() => fleet.stop())
  return fleet
}

describe('simulated CPEs against the real ACS', () => {
  it('bootstraps 50 CPEs at once; the store holds each with what its Inform said', async () => {
    const { bench, url } = await acs()
    const seen: SimEvent[] = []
    const fleet = await sim({ acsUrl: url, count: 50, serialPrefix: 'FLEET', periodicInformInterval: 0 })
    fleet.on((e) => seen.push(e))
    expect(fleet.cpes.map((c) => c.serial)).toEqual(
      Array.from({ length: 50 }, (_, i) => `FLEET${String(i + 1).padStart(6, '0')}`),
    )
    const urls = new Set<string>()
    for (const cpe of fleet.cpes) {
      expect(cpe.sessions).toBe(1)
      const device = bench.store.devices.get(cpe.serial)!
      expect(device).toMatchObject({
        oui: '202BC1',
        productClass: 'BM632w',
        connectionRequestUrl: cpe.connectionRequestUrl,
      })
      expect(cpe.get('InternetGatewayDevice.DeviceInfo.SerialNumber')).toBe(cpe.serial)
      expect(cpe.get('InternetGatewayDevice.ManagementServer.ConnectionRequestURL')).toBe(cpe.connectionRequestUrl)
      expect(cpe.get('InternetGatewayDevice.ManagementServer.URL')).toBe(url)
      expect(cpe.get('InternetGatewayDevice.ManagementServer.PeriodicInformEnable')).toBe('false')
      urls.add(cpe.connectionRequestUrl)
      const informs = bench.store.events.query({ serial: cpe.serial, kinds: ['inform'] })
      expect(informs).toHaveLength(1)
      expect(informs[0]!.summary).toContain('0 BOOTSTRAP, 1 BOOT')
      expect(bench.store.parameters.get(cpe.serial, 'InternetGatewayDevice.DeviceInfo.SoftwareVersion')?.value).toBe(
        'V100R001IRQC56B017',
      )
    }
    expect(urls.size).toBe(50)
    // The ACS saw no protocol problem from any of them.
    expect(bench.store.events.countMatching({ kinds: ['fault'] })).toBe(0)
    expect(seen).toEqual([]) // nothing more happened after the bootstrap
  })

  it('informs 1 BOOT after a restart, PERIODIC on its interval, and what inform() asks for', async () => {
    const { bench, url } = await acs()
    const fleet = await sim({ acsUrl: url, model: 'tr181', periodicInformInterval: 1 })
    const cpe = fleet.cpes[0]!
    expect(cpe.get('Device.ManagementServer.PeriodicInformInterval')).toBe('1')
    const periodic = await nextInform(bench, cpe.serial, ['2 PERIODIC'])
    expect(periodic.events.map((e) => e.code)).toEqual(['2 PERIODIC'])

    const boot = nextInform(bench, cpe.serial, ['1 BOOT'])
    await cpe.restart()
    expect((await boot).events.map((e) => e.code)).not.toContain('0 BOOTSTRAP')
    expect(Number(cpe.get('Device.DeviceInfo.UpTime'))).toBeLessThan(5)

    const custom = nextInform(bench, cpe.serial, ['X 02BE4C Button'])
    await cpe.inform(['X 02BE4C Button'])
    await custom
    const device = bench.store.devices.get(cpe.serial)!
    expect(device).toMatchObject({ dataModel: 'Device', manufacturer: 'Bench Networks', productClass: 'BR1800' })
  })

  it('informs over HTTPS to an ACS with a self-signed certificate', async () => {
    const fixtures = join(__dirname, 'fixtures')
    const { bench, url } = await acs({
      cwmp: { tls: { certFile: join(fixtures, 'acs-cert.pem'), keyFile: join(fixtures, 'acs-key.pem') } },
    })
    expect(url).toMatch(/^https:/)
    const fleet = await sim({ acsUrl: url, serialPrefix: 'TLS' })
    expect(bench.store.devices.get(fleet.cpes[0]!.serial)).toBeDefined()
    await bench.acs.execute(fleet.cpes[0]!.serial, { method: 'GetRPCMethods' })
  })

  it('carries a session on its cookie when every message has its own connection', async () => {
    const { bench, url } = await acs()
    const fleet = await sim({ acsUrl: url, serialPrefix: 'CLOSE', keepAlive: false })
    const cpe = fleet.cpes[0]!
    const r = await bench.acs.execute(cpe.serial, {
      method: 'GetParameterValues',
      parameterNames: ['InternetGatewayDevice.DeviceInfo.SoftwareVersion'],
    })
    expect(r.parameterList[0]!.value).toBe('V100R001IRQC56B017')
    const ended = bench.store.events.query({ serial: cpe.serial, kinds: ['session'] })
    expect(ended.every((e) => e.severity === 'info')).toBe(true)
  })

  it('speaks the namespace it is told to', async () => {
    const { bench, url } = await acs()
    const fleet = await sim({ acsUrl: url, cwmpVersion: 'cwmp-1-2', serialPrefix: 'NS' })
    expect(bench.store.devices.get(fleet.cpes[0]!.serial)!.cwmpVersion).toBe('cwmp-1-2')
  })

  it('authenticates to an ACS that asks for Digest or Basic, and says so when refused', async () => {
    for (const mode of ['digest', 'basic'] as const) {
      const { bench, url } = await acs({ cwmp: { auth: { mode, username: 'acs', password: 'pw' } } })
      const good = await sim({ acsUrl: url, acsUsername: 'acs', acsPassword: 'pw', serialPrefix: `OK${mode}` })
      expect(bench.store.devices.get(good.cpes[0]!.serial)).toBeDefined()
      // Several sessions on the same credentials (Digest nonce counts keep increasing).
      await good.cpes[0]!.inform()
      await good.cpes[0]!.inform()

      const bad = await sim({
        acsUrl: url,
        acsUsername: 'acs',
        acsPassword: 'nope',
        serialPrefix: `BAD${mode}`,
        waitForBootstrap: false,
        retryMinimumWaitInterval: 30,
      })
      const error = await nextSimEvent(bad, (e) => e.name === 'error')
      expect(String(error.detail)).toMatch(/refused the credentials of user "acs"/)
      expect(bench.store.devices.get(bad.cpes[0]!.serial)).toBeUndefined()
    }
  })

  it('keeps retrying while the ACS is down, with RetryCount, and bootstraps once it is up', async () => {
    const port = await freePort()
    const lines: string[] = []
    const fleet = await sim({
      acsUrl: `http://127.0.0.1:${port}/`,
      serialPrefix: 'RETRY',
      waitForBootstrap: false,
      retryMinimumWaitInterval: 0.05,
      log: (l) => lines.push(l),
    })
    const cpe = fleet.cpes[0]!
    await nextSimEvent(fleet, (e) => e.name === 'error' && /cannot reach the ACS/.test(String(e.detail)))
    await nextSimEvent(fleet, (e) => e.name === 'error')
    expect(lines.join('\n')).toMatch(
      /RETRY000001 session \[0 BOOTSTRAP, 1 BOOT\] failed: cannot reach the ACS at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
    )
    expect(lines.join('\n')).toMatch(/retry \d+ in \d/)

    const { bench } = await acs({ cwmp: { port } })
    const informed = await nextInform(bench, cpe.serial, ['0 BOOTSTRAP', '1 BOOT'])
    expect(informed.device.serial).toBe(cpe.serial)
    const [inform] = bench.store.events.query({ serial: cpe.serial, kinds: ['inform'] })
    expect((inform!.detail as { retryCount: number }).retryCount).toBeGreaterThanOrEqual(2)
    await expect.poll(() => cpe.sessions, { timeout: 20_000 }).toBe(1)
    await cpe.inform()
    // A periodic session is one row (kind session) holding what its Inform said.
    const latest = bench.store.events.query({ serial: cpe.serial, kinds: ['inform', 'session'] })
    expect(latest.map((e) => (e.detail as { retryCount: number }).retryCount)).toContain(0)
  })

  it('reads the SOAP fault an ACS answers with in HTTP 500, and says which fault it was', async () => {
    const { url } = await acs()
    // The ACS refuses SerialNumbers longer than the 64 characters CWMP allows: fault 8003.
    const fleet = await sim({
      acsUrl: url,
      serialPrefix: 'X'.repeat(60),
      periodicInformInterval: 0,
      waitForBootstrap: false,
      retryMinimumWaitInterval: 60,
    })
    const failed = await nextSimEvent(fleet, (e) => e.name === 'error')
    expect(failed.detail).toMatch(
      /^the ACS refused the Inform with fault 8003 \(Inform: DeviceId\/SerialNumber is \d+ characters long; at most 64 are allowed \(TR-069\)\)$/,
    )
  })

  it('stop() while waiting for bootstrap rejects the waiters and leaves nothing running', async () => {
    const port = await freePort()
    const controller = new AbortController()
    const starting = startSimulator({
      acsUrl: `http://127.0.0.1:${port}/`,
      serialPrefix: 'ABORT',
      retryMinimumWaitInterval: 0.05,
      signal: controller.signal,
    })
    setImmediate(() => controller.abort())
    await expect(starting).rejects.toThrow(/stopped/)
  })

  it('refuses bad options with a clear message', async () => {
    await expect(startSimulator({ acsUrl: 'ftp://x/' })).rejects.toThrow(/http:\/\/ or https:\/\/ URL/)
    await expect(startSimulator({ acsUrl: 'http://127.0.0.1:1/', count: 0 })).rejects.toThrow(/positive integer/)
    await expect(startSimulator({ acsUrl: 'http://127.0.0.1:1/', model: '/nope.csv' })).rejects.toThrow(
      /no such model file/,
    )
  })
})
