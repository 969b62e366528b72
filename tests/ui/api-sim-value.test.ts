/**
 * The bench's own simulated CPEs over the real WebSocket API: a value changed "on the CPE"
 * (sim.changeValue) is notified as TR-069 3.2.1 says, and the device page's CPE check
 * (devices.check) knows these CPEs as ours, so its value-change check passes on them.
 */
import { describe, expect, it, vi } from 'vitest'
import type { CallReply, CheckReport, SimStatus } from '../../preload/api'
import { client, start } from './helpers'

function value<T>(reply: CallReply): T {
  if (!reply.ok) throw new Error(`${reply.error.name}: ${reply.error.message}`)
  return reply.value as T
}

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'

describe('sim.changeValue and the CPE check on the bench fleet, over the real WebSocket', () => {
  it('changes a value on a running simulated CPE, refuses others, and the check observes 4 VALUE CHANGE', async () => {
    const { port, bench } = await start()
    await bench.acs.listen()
    const c = await client(port)
    const status = value<SimStatus>(
      await c.call('sim.start', { count: 1, model: 'tr098', serialPrefix: 'VC', periodicInformInterval: 0 }),
    )
    const serial = status.serials[0]!
    await vi.waitFor(() => expect(bench.sim.status().informed).toBe(1), { timeout: 30_000, interval: 50 })
    await vi.waitFor(() => expect(bench.acs.inSession(serial)).toBe(false), { timeout: 30_000, interval: 50 })

    // Notification off (the model's default): changed, nothing notified.
    expect(value(await c.call('sim.changeValue', serial, SSID, 'From the API'))).toEqual({ notification: 0 })
    expect(bench.sim.cpe(serial)?.get(SSID)).toBe('From the API')
    expect(await c.call('sim.changeValue', 'NOPE000001', SSID, 'x')).toMatchObject({
      ok: false,
      error: { message: 'NOPE000001 is not one of the running simulated CPEs.' },
    })
    expect(await c.call('sim.changeValue', serial, 'InternetGatewayDevice.Nope', 'x')).toMatchObject({
      ok: false,
      error: { message: `${serial} has no parameter InternetGatewayDevice.Nope` },
    })
    expect(await c.call('sim.changeValue', serial, SSID, 42)).toMatchObject({ ok: false })

    const report = value<CheckReport>(await c.call('devices.check', serial, {}))
    const vc = report.results.find((r) => r.id === 'value-change')!
    expect(vc.outcome, vc.detail).toBe('pass')
    expect(vc.detail).toContain(`it informed "4 VALUE CHANGE" with ${SSID}`)
    expect(report.counts['not-observed']).toBe(0)
    await bench.sim.stop()
  }, 120_000)
})
