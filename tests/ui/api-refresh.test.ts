/**
 * The device page's Refresh (devices.refresh) through the real API service on a real ACS over
 * HTTP, with a hand-driven CPE: on a device whose partial-path support is unknown it lists the
 * object and reads the leaves in batches of cwmp.readBatchSize, never one request for them all nor
 * the partial path itself; on a device known to take partial paths, one GetParameterValues.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createApiService, type BenchApiService } from '../../main/api'
import type { ActionResult } from '../../preload/api'
import { answerUntilEnd, informXml, ManualCpe, startAcs, until, type TestAcs } from '../acs/helpers'
import { ok } from '../support/api-reply'

let acs: TestAcs | undefined
let api: BenchApiService | undefined
const cpes: ManualCpe[] = []
afterEach(async () => {
  for (const c of cpes.splice(0)) c.close()
  await api?.close()
  await acs?.close()
  acs = api = undefined
})

const HOSTS = 'InternetGatewayDevice.LANDevice.1.Hosts.'
/** 70 leaves under Hosts.: more than two batches of 32. */
const LEAVES = Array.from({ length: 70 }, (_, i) => `${HOSTS}Host.${i + 1}.HostName`)

/** Refresh `path` while the CPE is in session; answers what the ACS asks and returns it. */
async function refresh(serial: string, path: string): Promise<{ asked: string[]; result: ActionResult }> {
  const cpe = new ManualCpe(acs!.url)
  cpes.push(cpe)
  await cpe.post(informXml({ serial }))
  const call = ok<ActionResult>(api!.call('devices.refresh', [serial, path]))
  await until(() => acs!.bench.acs.rpcs(serial).some((r) => r.state === 'queued'))
  const { reply, asked } = await answerUntilEnd(cpe, await cpe.post(null), {
    names: (p) => (p === HOSTS ? [`${HOSTS}Host.`, ...LEAVES] : []),
    values: (names) => ({
      method: 'GetParameterValuesResponse',
      parameterList: names
        .flatMap((n) => (n === HOSTS ? LEAVES : [n]))
        .map((name) => ({ name, value: `host-${name.split('.').at(-2)}`, type: 'xsd:string' })),
    }),
  })
  expect(reply.status).toBe(204)
  return { asked, result: await call }
}

describe('API service: Refresh of a partial path', () => {
  it('on a device whose partial-path support is unknown, reads the listed leaves in batches of readBatchSize', async () => {
    acs = await startAcs()
    api = createApiService(acs.bench, { shell: 'browser', version: 'test' })
    expect(acs.bench.acs.capabilities('UNKNOWN').partialPaths).toBe('unknown')
    const { asked, result } = await refresh('UNKNOWN', HOSTS)
    const reads = asked.filter((a) => a.startsWith('GPV '))
    expect(asked[0]).toBe(`GPN ${HOSTS}`)
    expect(reads.map((r) => r.slice(4).split(',').length)).toEqual([32, 32, 6])
    expect(reads.join(',')).not.toContain(`${HOSTS},`)
    expect(reads.map((r) => r.slice(4)).join(',')).toBe(LEAVES.join(','))
    expect(result).toEqual({ ok: true, message: `Refreshed ${HOSTS}: 71 names, 70 values.` })
    expect(acs.bench.store.parameters.get('UNKNOWN', LEAVES[69]!)?.value).toBe('host-70')
    expect(acs.bench.acs.capabilities('UNKNOWN').partialPaths).toBe('unknown')
  })

  it('on a device known to take partial paths, reads the object in one GetParameterValues', async () => {
    acs = await startAcs()
    api = createApiService(acs.bench, { shell: 'browser', version: 'test' })
    // It answers a partial path with values (here sent as written, by acs.execute): the ACS learns it takes them.
    const first = new ManualCpe(acs.url)
    cpes.push(first)
    await first.post(informXml({ serial: 'FULL' }))
    const probe = acs.bench.acs.execute('FULL', { method: 'GetParameterValues', parameterNames: [HOSTS] })
    const sent = await first.post(null)
    expect(sent.envelope?.body).toMatchObject({ method: 'GetParameterValues', parameterNames: [HOSTS] })
    await first.post(
      { method: 'GetParameterValuesResponse', parameterList: [{ name: LEAVES[0]!, value: 'a', type: 'xsd:string' }] },
      sent.envelope?.header.id,
    )
    await probe
    expect(acs.bench.acs.capabilities('FULL').partialPaths).toBe('yes')
    const { asked, result } = await refresh('FULL', HOSTS)
    expect(asked).toEqual([`GPN ${HOSTS}`, `GPV ${HOSTS}`])
    expect(result.ok).toBe(true)
  })
})
