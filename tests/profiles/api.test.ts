import { afterEach, describe, expect, it } from 'vitest'
import { createApiService, type BenchApiService } from '../../main/api'
import type { CallReply, ProfileRecord, ProfileRun } from '../../preload/api'
import { startBench, type TestBench } from '../lua/helpers'
import { ok } from '../support/api-reply'

// The profiles.* handlers (main/api/profiles.ts) as the UI calls them: through the API service,
// on a real bench with a real SQLite file, the real ACS and simulated CPEs.

let tb: TestBench | undefined
let api: BenchApiService | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
  await tb?.close()
  tb = undefined
})

const INTERVAL = 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval'
const PROFILE = {
  name: 'lab',
  description: 'inform every 10 minutes',
  match: { serial: 'API*' },
  when: { events: ['0 BOOTSTRAP'] },
  steps: [{ set: { [INTERVAL]: 600 } }],
}

async function call(channel: string, ...args: unknown[]): Promise<CallReply> {
  return api!.call(channel, args)
}
function value<T>(channel: string, ...args: unknown[]): Promise<T> {
  return ok<T>(call(channel, ...args))
}

describe('profiles API', () => {
  it('saves, refuses bad input with the core message, toggles, exports and imports, removes', async () => {
    tb = await startBench()
    api = createApiService(tb.bench, { shell: 'browser', version: 'test' })

    const bad = await call('profiles.save', { ...PROFILE, steps: [{ url: 'x' }] })
    expect(bad).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
    expect(!bad.ok && bad.error.message).toMatch(/steps\[0\] has no kind/)
    expect(await value('profiles.list')).toEqual([])

    const saved = await value<ProfileRecord>('profiles.save', PROFILE)
    expect(saved).toMatchObject({ name: 'lab', version: 1, enabled: true })
    expect(await call('profiles.setEnabled', 'lab', 'no')).toMatchObject({
      ok: false,
      error: { message: 'enabled must be true or false' },
    })
    expect(await value<ProfileRecord>('profiles.setEnabled', 'lab', false)).toMatchObject({
      enabled: false,
      version: 2,
    })

    const exported = await value<string>('profiles.export')
    await value('profiles.remove', 'lab')
    expect(await value('profiles.list')).toEqual([])
    expect(await call('profiles.remove', 'lab')).toMatchObject({ ok: false, error: { name: 'NotFoundError' } })
    const imported = await value<ProfileRecord[]>('profiles.import', exported)
    expect(imported.map((p) => [p.name, p.enabled])).toEqual([['lab', false]])

    expect(await call('profiles.runs', { limit: 1.5 })).toMatchObject({
      ok: false,
      error: { message: 'limit must be a whole number' },
    })
    expect(await call('profiles.run', 'lab', 'API000001')).toMatchObject({
      ok: false,
      error: { message: 'serials must be a list of device serial numbers' },
    })
  })

  it('provisions a CPE that BOOTSTRAPs: runs, states, the device list filter, the profiles.runs stream and a run by hand', async () => {
    tb = await startBench()
    api = createApiService(tb.bench, { shell: 'browser', version: 'test' })
    const streamed: ProfileRun[] = []
    const connection = api.connect((stream, batch) => {
      if (stream === 'profiles.runs') streamed.push(...(batch as ProfileRun[]))
    })
    connection.subscribe('profiles.runs', true)
    await value('profiles.save', PROFILE)

    const fleet = await tb.sims({ count: 1, model: 'tr098', serialPrefix: 'API' })
    const serial = fleet.cpes[0]!.serial
    await expect.poll(() => value('profiles.states')).toEqual({ [serial]: 'done' })
    const [run] = await value<ProfileRun[]>('profiles.runs', { serial })
    expect(run).toMatchObject({ profileName: 'lab', trigger: '0 BOOTSTRAP', status: 'done' })
    expect(run!.steps.map((s) => s.outcome)).toEqual(['applied'])
    expect(fleet.cpes[0]!.get(INTERVAL)).toBe('600')
    await expect.poll(() => streamed.some((r) => r.id === run!.id && r.status === 'done')).toBe(true)

    const list = (provisioning: string) =>
      value<{ total: number; rows: { serial: string }[] }>('devices.list', { provisioning })
    expect((await list('done')).rows.map((d) => d.serial)).toEqual([serial])
    expect((await list('failed')).total).toBe(0)
    expect(await call('devices.list', { provisioning: 'maybe' })).toMatchObject({ ok: false })

    const [id] = await value<string[]>('profiles.run', 'lab', [serial])
    const again = await tb.bench.profiles.wait(id!)
    expect(again.steps.map((s) => s.outcome)).toEqual(['held'])
    expect((await value<ProfileRun[]>('profiles.runs', { serial })).map((r) => r.trigger)).toEqual([
      'manual',
      '0 BOOTSTRAP',
    ])
    expect(await call('profiles.run', 'lab', ['NOPE'])).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
    connection.close()
  })
})
