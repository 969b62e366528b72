import { afterEach, describe, expect, it } from 'vitest'
import { example, nextEvent, PAGE_SERIAL, PAGE_SIM, runToEnd, startBench, type TestBench } from './helpers'

// The script API page's examples (resources/scripts/oktopus-*.lua are verbatim copies) against
// simulated CPEs whose serial is the page's HUAWNFYC-35454645, through the real ACS over HTTP.

const WLAN = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.'
let t: TestBench | undefined

afterEach(async () => {
  await t?.close()
  t = undefined
})

describe('the script API page examples, verbatim', () => {
  it('GetParameterValues prints every name: value of the subtree, SetParameterValues prints that it worked', async () => {
    t = await startBench()
    const [cpe] = (await t.sims(PAGE_SIM)).cpes
    expect(cpe!.serial).toBe(PAGE_SERIAL)

    const get = await runToEnd(t.bench, example('oktopus-get-parameter-values.lua'))
    expect(get.run.status).toBe('ok')
    expect(get.lines.length).toBeGreaterThan(10)
    for (const line of get.lines) expect(line).toMatch(new RegExp(`^${WLAN.replace(/\./g, '\\.')}\\S+: `))
    expect(get.lines).toContain(`${WLAN}SSID: ${cpe!.get(`${WLAN}SSID`)}`)
    // Each line is a parameter the CPE really has, with its value.
    for (const line of get.lines) {
      const [name, value] = line.split(/: (.*)/s)
      expect(cpe!.get(name!)).toBe(value)
    }
    expect(get.run.calls).toMatchObject([{ name: 'send_cwmp_message', serial: PAGE_SERIAL, ok: true }])

    const set = await runToEnd(t.bench, example('oktopus-set-parameter-values.lua'))
    expect(set.run.status).toBe('ok')
    expect(set.lines).toEqual(['SetParameterValues worked'])
    expect(['1', 'true']).toContain(cpe!.get(`${WLAN}Enable`))
  })

  it('listen_to_cwmp_event prints the event line after a PERIODIC inform, and stops cleanly', async () => {
    t = await startBench()
    const [cpe] = (await t.sims(PAGE_SIM)).cpes
    const bench = t.bench
    const listenersBefore = bench.events.listenerCount('device.informed')

    const waiting = nextEvent(bench, 'run.waiting', (w) => w.waiting === 'event')
    const [run] = bench.scripts.runSource({ name: 'listen', source: example('oktopus-listen-to-cwmp-event.lua') })
    await waiting
    // A BOOT inform is not what it listens for; the PERIODIC one is.
    const printed = nextEvent(bench, 'run.output', (o) => o.runId === run!.id)
    await cpe!.inform(['1 BOOT'])
    await cpe!.inform(['2 PERIODIC'])
    const out = await printed
    expect(out.lines.map((l) => l.text)).toEqual([`CWMP event 2, triggered by device: ${PAGE_SERIAL}`])

    // It loops: a second PERIODIC prints a second line.
    const again = nextEvent(bench, 'run.output', (o) => o.runId === run!.id)
    await cpe!.inform(['2 PERIODIC'])
    expect((await again).lines[0]!.text).toBe(`CWMP event 2, triggered by device: ${PAGE_SERIAL}`)

    expect(bench.scripts.getRun(run!.id)!.status).toBe('running')
    expect(bench.scripts.stop(run!.id)).toBe(true)
    const done = await bench.scripts.wait(run!.id)
    expect(done.status).toBe('killed')
    expect(done.error).toMatchObject({ reason: 'stopped', message: 'script stopped by the user' })
    expect(bench.events.listenerCount('device.informed')).toBe(listenersBefore)
  })

  it('get_device prints the device attributes, and "device … not found" for an unknown serial', async () => {
    t = await startBench()
    const source = example('oktopus-get-device.lua')

    const before = await runToEnd(t.bench, source)
    expect(before.run.status).toBe('ok')
    expect(before.lines).toEqual([`device ${PAGE_SERIAL} not found`])

    await t.sims(PAGE_SIM)
    const after = await runToEnd(t.bench, source)
    const d = t.bench.store.devices.get(PAGE_SERIAL)!
    expect(after.lines.sort()).toEqual(
      [
        `sn: ${PAGE_SERIAL}`,
        `model: ${d.model}`,
        `vendor: ${d.manufacturer}`,
        `version: ${d.softwareVersion}`,
        `product_class: ${d.productClass}`,
        `alias: ${d.alias}`,
        `status: 2`,
      ].sort(),
    )
    expect(d.manufacturer).toBe('Huawei Technologies Co., Ltd.')
  })
})
