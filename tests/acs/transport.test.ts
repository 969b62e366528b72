import { afterEach, describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeEnvelope } from '../../main/core/cwmp'
import { informXml, ManualCpe, nextEvent, rawExchange, rawPost, startAcs, until, type TestAcs } from './helpers'

// The HTTP side of the ACS under what CPE stacks and bench-LAN hosts do with connections:
// pipelining, slow or stalled uploads, many uploads at once, large messages.

let acs: TestAcs | undefined
afterEach(async () => {
  await acs?.close()
  acs = undefined
})

describe('HTTP pipelining', () => {
  it('handles requests pipelined on one connection in order, each in the session the previous one left', async () => {
    acs = await startAcs()
    // A known device with work waiting for it.
    const first = new ManualCpe(acs.url)
    await first.post(informXml({ serial: 'PIPE' }))
    await first.post(null)
    first.close()
    const rpc = acs.bench.acs
      .execute('PIPE', { method: 'GetRPCMethods' }, { onUnreachable: 'wait' })
      .catch((e: unknown) => e)

    // Inform and three empty POSTs in one TCP write, as a pipelining CPE sends them.
    const payload = rawPost(informXml({ serial: 'PIPE', events: ['2 PERIODIC'] })) + rawPost('').repeat(3)
    const replies = await rawExchange(acs.port, payload, 4)
    // What a sequential client gets: the InformResponse, the queued RPC, then (the empty POST
    // fails that RPC and the queue is empty) 204, and 204 again on the ended session.
    expect(replies.map((r) => r.status)).toEqual([200, 200, 204, 204])
    expect(decodeEnvelope(replies[0]!.body).body).toMatchObject({ method: 'InformResponse' })
    expect(decodeEnvelope(replies[1]!.body).body).toEqual({ method: 'GetRPCMethods' })
    expect(String(await rpc)).toMatch(/sent an empty message instead of answering GetRPCMethods/)
  })
})

describe('large messages', () => {
  it('serves a small CPE’s whole session while another CPE’s 3.8 MB answer is being parsed', async () => {
    acs = await startAcs()
    const big = new ManualCpe(acs.url)
    const small = new ManualCpe(acs.url)
    try {
      await big.post(informXml({ serial: 'BIG' }))
      const gpv = acs.bench.acs.execute('BIG', { method: 'GetParameterValues', parameterNames: ['Device.'] })
      const sent = await big.post(null)
      const parameterList = Array.from({ length: 25_000 }, (_, i) => ({
        name: `Device.X.${i}.SomeLongishParameterName`,
        value: `value-${i}-abcdefgh`,
        type: 'xsd:string',
      }))
      const answer = encodeEnvelope(
        'cwmp-1-0',
        { id: sent.envelope!.header.id! },
        {
          method: 'GetParameterValuesResponse',
          parameterList,
        },
      )
      const order: string[] = []
      const bigDone = gpv.then(() => order.push('big answer stored'))
      const bigPosted = big.post(answer)
      // Once the whole answer has arrived (its bytes are held while it is parsed)...
      // (or it was already parsed and stored, on the main thread: then the order below says so).
      await until(() => acs!.bench.acs.bodyLoad().bufferedBytes >= answer.length || order.length > 0)
      // ...a small CPE's session runs from Inform to 204 before the big answer is through.
      const smallEnded = nextEvent(acs.bench, 'session.ended', (e) => e.serial === 'SMALL')
      expect((await small.post(informXml({ serial: 'SMALL' }))).status).toBe(200)
      expect((await small.post(null)).status).toBe(204)
      await smallEnded
      order.push('small session ended')
      expect((await bigPosted).status).toBe(204)
      await bigDone
      expect(order).toEqual(['small session ended', 'big answer stored'])
      expect(acs.bench.store.parameters.get('BIG', 'Device.X.24999.SomeLongishParameterName')?.value).toBe(
        'value-24999-abcdefgh',
      )
    } finally {
      big.close()
      small.close()
    }
  })
})
