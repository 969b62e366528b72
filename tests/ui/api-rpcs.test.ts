/**
 * The RPCs tab's Cancel and Retry and the capabilities panel, through the real API service on a
 * real ACS over HTTP, with hand-driven CPEs (tests/acs/helpers.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createApiService, type BenchApiService } from '../../main/api'
import type { ActionResult, DeviceCapabilities, RpcInfo } from '../../preload/api'
import { informXml, ManualCpe, nextEvent, startAcs, until, type TestAcs } from '../acs/helpers'
import { ok } from '../support/api-reply'

let acs: TestAcs | undefined
let api: BenchApiService | undefined
afterEach(async () => {
  await api?.close()
  await acs?.close()
  acs = api = undefined
})

async function start() {
  acs = await startAcs()
  api = createApiService(acs.bench, { shell: 'browser', version: 'test' })
  return { bench: acs.bench, url: acs.url, api }
}

const MODEL = 'InternetGatewayDevice.DeviceInfo.ModelName'

describe('API service: RPCs tab and capabilities', () => {
  it('shows the unstable mark and the request it is on, and Retry sends it again and clears the mark', async () => {
    const { bench, url, api } = await start()
    const serial = 'CRASHY'
    const first = new ManualCpe(url)
    await first.post(informXml({ serial }))
    await first.post(null)
    first.close()
    const read = bench.acs
      .execute(serial, { method: 'GetParameterValues', parameterNames: [MODEL] }, { onUnreachable: 'wait' })
      .catch((e: unknown) => e)
    // Its sessions die twice on the request (the CPE closes the connection instead of answering).
    for (let crash = 1; crash <= 2; crash++) {
      const ended = nextEvent(bench, 'session.ended', (e) => e.serial === serial)
      const cpe = new ManualCpe(url)
      await cpe.post(informXml({ serial }))
      expect((await cpe.post(null)).envelope?.body?.method).toBe('GetParameterValues')
      cpe.close()
      await ended
    }
    await read
    const caps = await ok<DeviceCapabilities>(api.call('devices.capabilities', [serial]))
    expect(caps).toMatchObject({
      cwmpVersion: 'cwmp-1-0',
      unstable: { method: 'GetParameterValues', args: ` (${MODEL})` },
    })
    const rows = await ok<RpcInfo[]>(api.call('devices.rpcs', [serial]))
    const failed = rows.find((r) => r.state === 'error')!
    expect(failed.args).toBe(`(${MODEL})`)
    // Over already: nothing to cancel.
    expect(await ok<ActionResult>(api.call('devices.cancelRpc', [serial, failed.id]))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already over \(error\)/),
    })

    // Retry while the device is in a session: the request goes out in it, and the mark is gone.
    const cpe = new ManualCpe(url)
    await cpe.post(informXml({ serial }))
    const retried = ok<ActionResult>(api.call('devices.retryRpc', [serial, failed.id]))
    await until(() => bench.acs.rpcs(serial).some((r) => r.state === 'queued'))
    expect((await ok<DeviceCapabilities>(api.call('devices.capabilities', [serial]))).unstable).toBeNull()
    const ask = await cpe.post(null)
    expect(ask.envelope?.body).toEqual({ method: 'GetParameterValues', parameterNames: [MODEL] })
    await cpe.post(
      { method: 'GetParameterValuesResponse', parameterList: [{ name: MODEL, value: 'OK', type: 'xsd:string' }] },
      ask.envelope!.header.id,
    )
    expect(await retried).toEqual({ ok: true, message: 'GetParameterValues sent again: the device answered.' })
    cpe.close()
    // A row that did not fail is not retried.
    const done = (await ok<RpcInfo[]>(api.call('devices.rpcs', [serial]))).find((r) => r.state === 'done')!
    expect(await ok<ActionResult>(api.call('devices.retryRpc', [serial, done.id]))).toMatchObject({ ok: false })
    expect(await api.call('devices.retryRpc', [serial, 'nope'])).toMatchObject({
      ok: false,
      error: { name: 'NotFoundError' },
    })

    // Removed from the list, the device's capabilities go too.
    expect(await ok(api.call('devices.remove', [serial]))).toBe(true)
    expect(
      bench.store.db.prepare('SELECT COUNT(*) AS n FROM device_capabilities WHERE serial = ?').get(serial),
    ).toEqual({ n: 0 })
  })

  it('cancels a queued RPC (never sent) and one the device has (it may still carry it out)', async () => {
    const { bench, url, api } = await start()
    const serial = 'CANCEL1'
    const first = new ManualCpe(url)
    await first.post(informXml({ serial }))
    await first.post(null)
    first.close()
    const reboot = bench.acs
      .execute(serial, { method: 'Reboot', commandKey: 'k1' }, { onUnreachable: 'wait' })
      .catch((e: unknown) => e)
    const queued = (await ok<RpcInfo[]>(api.call('devices.rpcs', [serial])))[0]!
    expect(queued).toMatchObject({ method: 'Reboot', state: 'queued' })
    expect(await ok<ActionResult>(api.call('devices.cancelRpc', [serial, queued.id]))).toEqual({
      ok: true,
      message: 'Reboot cancelled: it was never sent.',
    })
    expect(String(await reboot)).toMatch(/cancelled before it was sent/)

    const read = bench.acs
      .execute(serial, { method: 'GetParameterValues', parameterNames: [MODEL] }, { onUnreachable: 'wait' })
      .catch((e: unknown) => e)
    const cpe = new ManualCpe(url)
    await cpe.post(informXml({ serial }))
    expect((await cpe.post(null)).envelope?.body?.method).toBe('GetParameterValues')
    const sent = (await ok<RpcInfo[]>(api.call('devices.rpcs', [serial]))).find((r) => r.state === 'sent')!
    expect(await ok<ActionResult>(api.call('devices.cancelRpc', [serial, sent.id]))).toMatchObject({
      ok: true,
      message: expect.stringMatching(/may still carry it out/),
    })
    expect(await read).toBeInstanceOf(Error)
    expect((await ok<RpcInfo[]>(api.call('devices.rpcs', [serial]))).find((r) => r.id === sent.id)?.state).toBe(
      'cancelled',
    )
    cpe.close()
    expect(await api.call('devices.capabilities', ['NOSUCH'])).toMatchObject({
      ok: false,
      error: { name: 'NotFoundError' },
    })
  })
})
