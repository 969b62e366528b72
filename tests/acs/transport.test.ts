import { afterEach, describe, expect, it } from 'vitest'
import { decodeEnvelope } from '../../main/core/cwmp'
import { informXml, ManualCpe, rawExchange, rawPost, startAcs, type TestAcs } from './helpers'

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
