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
import { serialOfToken, serialToken, subjectMatches } from '../../main/core/sync/nats/subjects'

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

  it('a serial with . * > space % and non-ASCII gets one valid token, the same on info and status', async () => {
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
    // Two serials the old scheme ("." and " " → "_") sent on one subject.
    const awkward = await startSimulator({
      acsUrl: url,
      count: 1,
      periodicInformInterval: 0,
      serialPrefix: 'a.b *>%é ',
    })
    const plain = await startSimulator({ acsUrl: url, count: 1, periodicInformInterval: 0, serialPrefix: 'a_b_*>%é_' })
    cleanups.push(
      () => awkward.stop(),
      () => plain.stop(),
    )
    const serial = awkward.cpes[0]!.serial
    expect(serial).toBe('a.b *>%é 000001')
    // Both go offline (a sweep far in the future finds them overdue): Oktopus gets "0" on status.
    await awkward.stop()
    await plain.stop()
    expect(
      bench.acs
        .sweep(Date.now() + 24 * 3_600_000)
        .map((d) => d.serial)
        .sort(),
    ).toEqual([serial, plain.cpes[0]!.serial].sort())
    await waitForTarget(
      bench.events,
      () => bench.sync.status(),
      'nats',
      (t) => t.backlog === 0 && t.state === 'idle',
    )

    // What the real server stored on stream "cwmp", i.e. what it accepted as valid subjects.
    const stored = await streamMessages(nats.url, 'cwmp')
    const token = 'a%2Eb%20%2A%3E%25%C3%A9%20000001'
    expect(serialToken(serial)).toBe(token)
    expect(serialOfToken(token)).toBe(serial)
    const mine = stored.filter((m) => m.subject.split('.')[2] === token)
    expect(mine.map((m) => [m.subject, m.data.startsWith('<') ? 'xml' : m.data])).toEqual([
      [`cwmp.v1.${token}.info`, 'xml'],
      [`cwmp.v1.${token}.status`, '0'],
    ])
    expect(mine[0]!.data).toContain(`<SerialNumber>a.b *&gt;%é 000001</SerialNumber>`)
    for (const m of mine) expect(subjectMatches(`cwmp.v1.*.${m.subject.split('.')[3]}`, m.subject)).toBe(true)
    // The other device has its own subjects: every subject's token names one serial.
    const tokens = new Set(stored.map((m) => m.subject.split('.')[2]))
    expect([...tokens].map((token) => serialOfToken(token!)).sort()).toEqual([serial, plain.cpes[0]!.serial].sort())
  })
})
