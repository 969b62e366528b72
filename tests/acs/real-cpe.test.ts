import { afterEach, describe, expect, it } from 'vitest'
import { SessionDiedError, UnstableRequestError } from '../../main/core/acs'
import type { CpeReply } from './helpers'
import { informXml, ManualCpe, nextEvent, startAcs, type TestAcs } from './helpers'

let acs: TestAcs | undefined
afterEach(async () => {
  await acs?.close()
  acs = undefined
})

const DI = 'InternetGatewayDevice.DeviceInfo.'
const LEAVES = ['ModelName', 'Bogus', 'SerialNumber', 'SoftwareVersion'].map((n) => `${DI}${n}`)

/** Opens a session for `serial` and returns the ACS's answer to the empty POST. */
async function session(url: string, serial: string): Promise<{ cpe: ManualCpe; reply: CpeReply }> {
  const cpe = new ManualCpe(url)
  await cpe.post(informXml({ serial }))
  return { cpe, reply: await cpe.post(null) }
}

describe('reads on CPEs without partial-path support', () => {
  it('lists a partial path, reads its leaves in batches, and splits a batch that faults 9005 to find the bad name', async () => {
    acs = await startAcs({ cwmp: { readBatchSize: 4, holdSessionMs: 2_000 } })
    const { bench, url } = acs
    await session(url, 'NOPP1').then(async ({ cpe, reply }) => {
      expect(reply.status).toBe(204)
      cpe.close()
    })
    const { cpe, reply: first } = await session(url, 'NOPP1')
    expect(first.status).toBe(204)
    // The device is in no session: the read waits for its next one.
    const read = bench.acs.readValues('NOPP1', [DI], { onUnreachable: 'wait', source: 'test' })
    const cpe2 = new ManualCpe(url)
    await cpe2.post(informXml({ serial: 'NOPP1', events: ['6 CONNECTION REQUEST'] }))
    let reply = await cpe2.post(null)
    const asked: string[][] = []
    while (reply.status === 200 && reply.envelope?.body) {
      const body = reply.envelope.body
      const id = reply.envelope.header.id
      if (body.method === 'GetParameterNames') {
        asked.push([`GPN ${body.parameterPath}`])
        reply = await cpe2.post(
          {
            method: 'GetParameterNamesResponse',
            parameterList: [DI, ...LEAVES].map((name) => ({ name, writable: false })),
          },
          id,
        )
      } else if (body.method === 'GetParameterValues') {
        asked.push(body.parameterNames)
        // A gSOAP-style CPE: a partial path or a name it lists but cannot read faults the whole request.
        reply = body.parameterNames.some((n) => n.endsWith('.') || n.endsWith('Bogus'))
          ? await cpe2.post({ method: 'Fault', faultCode: 9005, faultString: 'Invalid parameter name' }, id)
          : await cpe2.post(
              {
                method: 'GetParameterValuesResponse',
                parameterList: body.parameterNames.map((name) => ({ name, value: `v-${name}`, type: 'xsd:string' })),
              },
              id,
            )
      } else break
    }
    cpe.close()
    cpe2.close()
    const result = await read
    expect(asked).toEqual([[`GPN ${DI}`], LEAVES, LEAVES.slice(0, 2), [LEAVES[0]], [LEAVES[1]], LEAVES.slice(2)])
    expect(result.missing).toEqual([`${DI}Bogus`])
    expect(result.parameterList.map((p) => p.name).sort()).toEqual([LEAVES[0], LEAVES[2], LEAVES[3]].sort())
    expect(bench.store.parameters.get('NOPP1', `${DI}ModelName`)).toMatchObject({ value: `v-${DI}ModelName` })
    expect(bench.acs.capabilities('NOPP1').partialPaths).toBe('unknown')
  })

  it('learns (and stores) that a device answers partial paths, and then sends them as written', async () => {
    acs = await startAcs()
    const { bench, url } = acs
    const { cpe, reply } = await session(url, 'PP1')
    expect(reply.status).toBe(204)
    // Someone (send_cwmp_message, a script) sent a partial path and the CPE answered it.
    const raw = bench.acs.execute(
      'PP1',
      { method: 'GetParameterValues', parameterNames: [DI] },
      { onUnreachable: 'wait' },
    )
    const cpe2 = new ManualCpe(url)
    await cpe2.post(informXml({ serial: 'PP1', events: ['6 CONNECTION REQUEST'] }))
    const ask = await cpe2.post(null)
    const answer = {
      method: 'GetParameterValuesResponse' as const,
      parameterList: [{ name: `${DI}ModelName`, value: 'M', type: 'xsd:string' }],
    }
    await cpe2.post(answer, ask.envelope!.header.id)
    await raw
    expect(bench.acs.capabilities('PP1').partialPaths).toBe('yes')
    const row = bench.store.db.prepare('SELECT partial_paths FROM device_capabilities WHERE serial = ?').get('PP1')
    expect(row).toEqual({ partial_paths: 'yes' })
    // A read now sends the partial path itself: one request.
    const read = bench.acs.readValues('PP1', [DI])
    await until(() => bench.acs.rpcs('PP1').some((r) => r.state === 'sent' || r.state === 'queued'))
    const cpe3 = new ManualCpe(url)
    await cpe3.post(informXml({ serial: 'PP1', events: ['6 CONNECTION REQUEST'] }))
    const direct = await cpe3.post(null)
    expect(direct.envelope?.body).toEqual({ method: 'GetParameterValues', parameterNames: [DI] })
    await cpe3.post(answer, direct.envelope!.header.id)
    expect((await read).parameterList).toHaveLength(1)
    for (const c of [cpe, cpe2, cpe3]) c.close()
  })
})

describe('CPEs that crash mid-RPC', () => {
  it('fails the RPC with the reason at once, retries a read once, marks the device unstable, and sends it again only on Retry', async () => {
    acs = await startAcs()
    const { bench, url } = acs
    const serial = 'CRASHY'
    const request = { method: 'GetParameterValues' as const, parameterNames: [`${DI}ModelName`] }
    ;(await session(url, serial)).cpe.close()
    const read = bench.acs.execute(serial, request, { onUnreachable: 'wait' }).catch((e: unknown) => e)
    for (let crash = 1; crash <= 2; crash++) {
      const ended = nextEvent(bench, 'session.ended', (e) => e.serial === serial)
      const { cpe, reply } = await session(url, serial)
      expect(reply.envelope?.body).toEqual(request)
      cpe.close() // the CPE process dies while handling it
      expect(await ended).toMatchObject({ reason: 'error' })
    }
    const error = await read
    expect(error).toBeInstanceOf(SessionDiedError)
    expect((error as Error).message).toBe(
      'the CPE closed the connection while handling GetParameterValues — it may have crashed or rebooted; it failed in 2 sessions in a row, so it is not sent again',
    )
    const sessions = bench.store.events.query({ serial, kinds: ['session'] })
    expect(sessions[0]!.summary).toMatch(
      /^Session error \(the CPE closed the connection while handling GetParameterValues/,
    )
    expect(bench.acs.capabilities(serial).unstable).toMatchObject({
      method: 'GetParameterValues',
      args: ` (${DI}ModelName)`,
    })
    // Not asked the same thing again: refused at once, and its next session is left alone.
    await expect(bench.acs.execute(serial, request)).rejects.toBeInstanceOf(UnstableRequestError)
    const calm = await session(url, serial)
    expect(calm.reply.status).toBe(204)
    calm.cpe.close()
    // Until the technician retries it.
    const failed = bench.acs.rpcs(serial).find((r) => r.state === 'error')!
    expect(failed.args).toBe(`(${DI}ModelName)`)
    const retried = bench.acs.retry(failed.id, { onUnreachable: 'wait' })
    expect(bench.acs.capabilities(serial).unstable).toBeNull()
    const { cpe, reply } = await session(url, serial)
    expect(reply.envelope?.body).toEqual(request)
    await cpe.post(
      {
        method: 'GetParameterValuesResponse',
        parameterList: [{ name: `${DI}ModelName`, value: 'OK', type: 'xsd:string' }],
      },
      reply.envelope!.header.id,
    )
    expect(await retried).toMatchObject({ parameterList: [{ value: 'OK' }] })
    cpe.close()
  })

  it('fails a SetParameterValues at once when the CPE drops the connection, saying it may have been applied', async () => {
    acs = await startAcs()
    const { bench, url } = acs
    ;(await session(url, 'SPV1')).cpe.close()
    const spv = bench.acs
      .execute(
        'SPV1',
        {
          method: 'SetParameterValues',
          parameterList: [{ name: `${DI}X`, value: '1', type: 'xsd:string' }],
          parameterKey: '',
        },
        { onUnreachable: 'wait' },
      )
      .catch((e: unknown) => e)
    const queued = bench.acs.execute('SPV1', { method: 'Reboot', commandKey: 'r' }, { onUnreachable: 'wait' })
    const { cpe, reply } = await session(url, 'SPV1')
    expect(reply.envelope?.body?.method).toBe('SetParameterValues')
    expect(bench.acs.rpcs('SPV1').map((r) => r.state)).toEqual(['sent', 'queued'])
    cpe.close()
    expect(((await spv) as Error).message).toBe(
      'the CPE closed the connection while handling SetParameterValues — it may have crashed or rebooted; whether it was applied is unknown',
    )
    // The RPC queued behind it can be cancelled from the RPCs tab.
    const reboot = bench.acs.rpcs('SPV1').find((r) => r.method === 'Reboot')!
    expect(reboot.state).toBe('queued')
    expect(bench.acs.cancel(reboot.id)).toBe(true)
    await expect(queued).rejects.toThrow(/cancelled before it was sent/)
  })
})

describe('transfers', () => {
  it('shows a Download whose TransferComplete carries a fault as failed, with the fault', async () => {
    acs = await startAcs()
    const { bench, url } = acs
    ;(await session(url, 'DL1')).cpe.close()
    const download = bench.acs.execute(
      'DL1',
      {
        method: 'Download',
        commandKey: 'fw1',
        fileType: '1 Firmware Upgrade Image',
        url: 'http://127.0.0.1:1/fw.bin',
        username: '',
        password: '',
        fileSize: 0,
        targetFileName: '',
        delaySeconds: 0,
        successUrl: '',
        failureUrl: '',
      },
      { onUnreachable: 'wait' },
    )
    const { cpe, reply } = await session(url, 'DL1')
    expect(reply.envelope?.body?.method).toBe('Download')
    await cpe.post(
      { method: 'DownloadResponse', status: 1, startTime: '', completeTime: '' },
      reply.envelope!.header.id,
    )
    await download
    expect(bench.acs.rpcs('DL1')[0]).toMatchObject({ state: 'done', transfer: { state: 'pending' } })
    cpe.close()
    const later = new ManualCpe(url)
    await later.post(informXml({ serial: 'DL1', events: ['7 TRANSFER COMPLETE', 'M Download'] }))
    await later.post({
      method: 'TransferComplete',
      commandKey: 'fw1',
      faultStruct: { faultCode: 9010, faultString: 'Download timeout' },
      startTime: '2024-01-01T00:00:00Z',
      completeTime: '2024-01-01T00:01:00Z',
    })
    later.close()
    expect(bench.acs.rpcs('DL1')[0]).toMatchObject({
      transfer: { state: 'failed', fault: { code: 9010, message: 'Download timeout' } },
    })
  })
})

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5))
}
