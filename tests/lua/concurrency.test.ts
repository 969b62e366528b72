import { afterEach, describe, expect, it } from 'vitest'
import { startBench, stdout, type TestBench } from './helpers'

let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

const SSID = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'

describe('many runs at once', () => {
  it("runs 50 scripts at once against 50 simulated CPEs, each finishing with its own device's answers", async () => {
    t = await startBench({ scripts: { maxConcurrentRuns: 50 } })
    const fleet = await t.sims({ count: 50, serialPrefix: 'MANY' })
    const serials = fleet.cpes.map((c) => c.serial)
    const script = t.bench.scripts.create({
      name: 'rename wifi',
      source: `
        local before = get_parameter_values(DEVICE, "${SSID}")
        assert(before, "could not read " .. DEVICE)
        local ok, err = set_parameter_values(DEVICE, { ["${SSID}"] = "wifi-" .. DEVICE })
        assert(ok, err)
        local after = get_parameter_values(DEVICE, "${SSID}")["${SSID}"]
        print(DEVICE .. " " .. after)
        return after
      `,
    })
    let peak = 0
    t.bench.events.on(
      'run.started',
      () => (peak = Math.max(peak, t!.bench.scripts.active().filter((r) => r.status === 'running').length)),
    )
    const runs = t.bench.scripts.run(script.id, { target: { kind: 'devices', serials } })
    expect(runs).toHaveLength(50)
    expect(new Set(runs.map((r) => r.batchId)).size).toBe(1)

    const done = await Promise.all(runs.map((r) => t!.bench.scripts.wait(r.id)))
    expect(peak).toBe(50)
    for (const run of done) {
      const serial = run.targets[0]!
      expect(run.status, `${serial}: ${run.error?.message}`).toBe('ok')
      expect(run.result).toEqual([`wifi-${serial}`])
      expect(stdout(t.bench, run.id)).toEqual([`${serial} wifi-${serial}`])
    }
    for (const cpe of fleet.cpes) expect(cpe.get(SSID)).toBe(`wifi-${cpe.serial}`)
    expect(t.bench.scripts.runs({ scriptId: script.id, limit: 100 }).filter((r) => r.status === 'ok')).toHaveLength(50)
    // 50 workers on two cores: a busy machine needs more than the default 30 s (a cap, not a speed check).
  }, 180_000)
})
