// Plays the Oktopus side: a simulated CPE informs the real ACS (createBench + acs.listen), the
// app's sync relays the outbox to a real nats-server, and a consumer on cwmp.v1.*.info reads the
// Inform the way Oktopus' adapter does (durable consumer "cwmp" on stream "cwmp", the XML parsed
// by element names without namespace prefixes, Body>Inform>DeviceId).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { connect } from 'nats'
import { afterEach, describe, expect, it } from 'vitest'
import { createBench } from '../../main/core/bench'
import { startSimulator } from '../../main/core/sim'
import { streamMessages, waitForTarget } from './helpers'
import { startNatsServer } from './nats-server'
import { subjectMatches } from '../../main/core/sync/nats/subjects'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** What Oktopus' adapter reads from an Inform (parseDeviceInfoMsg in its cwmp_handler). */
function oktopusDeviceInfo(xml: string) {
  const doc = new XMLParser({ removeNSPrefix: true, parseTagValue: false }).parse(xml)
  const inform = doc.Envelope.Body.Inform
  const params = [inform.ParameterList.ParameterValueStruct].flat() as { Name: string; Value: unknown }[]
  const value = (suffix: string) => {
    const v = params.find((p) => p.Name.endsWith(suffix))?.Value
    return typeof v === 'object' && v !== null ? String((v as { '#text'?: unknown })['#text'] ?? '') : String(v ?? '')
  }
  return {
    sn: String(inform.DeviceId.SerialNumber),
    vendor: String(inform.DeviceId.Manufacturer),
    productclass: String(inform.DeviceId.ProductClass),
    version: value('Device.DeviceInfo.SoftwareVersion'),
  }
}

describe('Oktopus compatibility', () => {
  it('a bench CPE informing the real ACS reaches a consumer on cwmp.v1.*.info', async () => {
    const nats = await startNatsServer()
    const dir = mkdtempSync(join(tmpdir(), 'bench-oktopus-'))
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => nats.dispose(),
    )
    const bench = await createBench(
      { dataDir: dir, cwmp: { port: 0, bind: '127.0.0.1' } },
      { log: () => {}, acs: { statusSweepMs: 0 } },
    )
    cleanups.push(() => bench.close())
    const { url } = await bench.acs.listen()
    await bench.sync.configure({ nats: { url: nats.url } })
    expect(bench.sync.settings().nats.oktopus).toBe(true)

    const fleet = await startSimulator({ acsUrl: url, count: 1, periodicInformInterval: 0, serialPrefix: 'OKT' })
    cleanups.push(() => fleet.stop())
    const cpe = fleet.cpes[0]!
    await waitForTarget(
      bench.events,
      () => bench.sync.status(),
      'nats',
      (t) => t.backlog === 0 && t.state === 'idle',
    )

    // Oktopus' adapter: the durable consumer "cwmp" of stream "cwmp".
    const nc = await connect({ servers: nats.url })
    cleanups.push(() => nc.close())
    const consumer = await nc.jetstream().consumers.get('cwmp', 'cwmp')
    const batch = await consumer.fetch({ max_messages: 1, expires: 5000 })
    let received: { subject: string; xml: string } | undefined
    for await (const m of batch) {
      received = { subject: m.subject, xml: m.string() }
      m.ack()
    }
    expect(received).toBeDefined()
    expect(subjectMatches('cwmp.v1.*.info', received!.subject)).toBe(true)
    expect(received!.subject).toBe(`cwmp.v1.${cpe.serial}.info`)

    const info = oktopusDeviceInfo(received!.xml)
    const stored = bench.store.devices.get(cpe.serial)!
    expect(info).toEqual({
      sn: cpe.serial,
      vendor: cpe.get('InternetGatewayDevice.DeviceInfo.Manufacturer'),
      productclass: cpe.get('InternetGatewayDevice.DeviceInfo.ProductClass'),
      version: cpe.get('InternetGatewayDevice.DeviceInfo.SoftwareVersion'),
    })
    expect(info).toMatchObject({ vendor: stored.manufacturer, productclass: stored.productClass })
    expect(info.vendor).not.toBe('')

    // Our own richer records went to our stream, on our subjects.
    const ours = await streamMessages(nats.url, 'BENCH')
    const site = bench.store.siteId
    expect(ours.some((m) => m.subject === `bench.${site}.device.${cpe.serial}`)).toBe(true)
    expect(ours.some((m) => m.subject === `bench.${site}.parameters.${cpe.serial}`)).toBe(true)
    expect(ours.some((m) => m.subject === `bench.${site}.event.${cpe.serial}`)).toBe(true)
    expect(ours.every((m) => !m.subject.startsWith('cwmp.'))).toBe(true)
  })
})
