import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeEnvelope, type CwmpBody, type DecodedEnvelope } from '../../main/core/cwmp'
import { startSimulator, type SimFleet } from '../../main/core/sim'
import { testImage } from '../files/helpers'
import { nextSimEvent, startFileServer, type FileServer } from './helpers'

// TR-069 A.3.2.8 / Table 7: a CPE reports TransferComplete in a session whose Inform carries
// "7 TRANSFER COMPLETE". A transfer that ends while another session runs (its Inform already sent,
// with the old SoftwareVersion) must wait for the next session. Driven by a hand-written ACS over
// real HTTP, so the test decides when each message is answered.

interface Posted {
  envelope: DecodedEnvelope | null
  reply(body?: CwmpBody): void
}

/** A scripted ACS: each POST waits in a queue until the test answers it. */
async function startHandAcs(): Promise<{ url: string; next(): Promise<Posted>; close(): Promise<void> }> {
  const queue: Posted[] = []
  const waiting: ((p: Posted) => void)[] = []
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks)
      const envelope = text.length ? decodeEnvelope(text) : null
      const posted: Posted = {
        envelope,
        reply(body) {
          if (!body) return void res.writeHead(204).end()
          const xml = encodeEnvelope(envelope?.version ?? 'cwmp-1-0', { id: envelope?.header.id ?? 'acs-1' }, body)
          res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"' }).end(xml)
        },
      }
      const w = waiting.shift()
      if (w) w(posted)
      else queue.push(posted)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    next: () => new Promise((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve))),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

let fleet: SimFleet | undefined
let files: FileServer | undefined
let acs: Awaited<ReturnType<typeof startHandAcs>> | undefined
afterEach(async () => {
  await fleet?.stop()
  await files?.close()
  await acs?.close()
  fleet = files = acs = undefined
})

const VERSION = 'InternetGatewayDevice.DeviceInfo.SoftwareVersion'
const INFORM_RESPONSE: CwmpBody = { method: 'InformResponse', maxEnvelopes: 1 }

function informed(p: Posted): { codes: string[]; version: string | undefined } {
  const body = p.envelope?.body
  if (body?.method !== 'Inform') throw new Error(`expected an Inform, got ${body?.method ?? 'an empty POST'}`)
  return {
    codes: body.event.map((e) => e.eventCode),
    version: body.parameterList.find((x) => x.name === VERSION)?.value,
  }
}

describe('a transfer that ends during another session', () => {
  it('is reported in the next session, whose Inform announces it and the version installed', async () => {
    const image = testImage('2.0.1')
    let release: () => void = () => {}
    const released = new Promise<void>((r) => (release = r))
    files = await startFileServer({ '/fw.bin': () => released.then(() => image) })
    acs = await startHandAcs()
    // The fleet starts once its CPE has bootstrapped: session 1 is answered before it resolves.
    const starting = startSimulator({ acsUrl: acs.url, count: 1, periodicInformInterval: 0, model: 'tr098' })

    // Session 1: BOOTSTRAP, then a Download the CPE starts at once (its file is held back).
    const first = await acs.next()
    expect(informed(first).codes).toContain('0 BOOTSTRAP')
    const oldVersion = informed(first).version
    first.reply(INFORM_RESPONSE)
    ;(await acs.next()).reply({
      method: 'Download',
      commandKey: 'fw-1',
      fileType: '1 Firmware Upgrade Image',
      url: `${files.url}/fw.bin`,
      username: '',
      password: '',
      fileSize: image.length,
      targetFileName: '',
      delaySeconds: 0,
      successUrl: '',
      failureUrl: '',
    })
    const accepted = await acs.next()
    expect(accepted.envelope?.body?.method).toBe('DownloadResponse')
    accepted.reply()
    fleet = await starting
    const cpe = fleet.cpes[0]!

    // Session 2 starts while the file is still coming; the transfer ends before its InformResponse.
    const second = cpe.inform(['2 PERIODIC'])
    const periodic = await acs.next()
    expect(informed(periodic)).toEqual({ codes: ['2 PERIODIC'], version: oldVersion })
    const done = nextSimEvent(fleet, (e) => e.name === 'transfer-complete')
    release()
    await done
    periodic.reply(INFORM_RESPONSE)
    const afterInform = await acs.next()
    // Not a TransferComplete: this session's Inform did not announce it.
    expect(afterInform.envelope?.body?.method ?? 'empty POST').toBe('empty POST')
    afterInform.reply()
    await second

    // Session 3: the reboot into the image, with the transfer announced and reported.
    const third = await acs.next()
    expect(informed(third).codes).toEqual(expect.arrayContaining(['1 BOOT', '7 TRANSFER COMPLETE', 'M Download']))
    expect(informed(third).version).toBe('2.0.1')
    third.reply(INFORM_RESPONSE)
    const report = await acs.next()
    expect(report.envelope?.body).toMatchObject({ method: 'TransferComplete', commandKey: 'fw-1' })
    report.reply({ method: 'TransferCompleteResponse' })
    ;(await acs.next()).reply()
  }, 60_000)
})
