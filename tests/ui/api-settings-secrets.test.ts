// cwmp.keepSecretsInLog through settings.save over the real UI server: checked, saved with the rest,
// and in effect at once for the SOAP bodies the real ACS stores (read back from the SQLite file's
// table); synced records stay masked.
import { describe, expect, it } from 'vitest'
import { STORED_CONFIG_KEY } from '../../main/core/settings'
import { decompress } from '../../main/core/store/bodies'
import { SECRET_MASK } from '../../main/core/store/secrets'
import type { Bench } from '../../main/core/bench'
import type { CallReply, SettingsSaveResult, SettingsView } from '../../preload/api'
import { informBody, ManualCpe } from '../acs/helpers'
import { client, start } from './helpers'

function value<T>(r: CallReply): T {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`)
  return r.value as T
}

/** A session whose Inform carries the connection-request password `secret`. */
async function informWith(bench: Bench, serial: string, secret: string): Promise<void> {
  const cpe = new ManualCpe(bench.acs.address!.url)
  const inform = informBody({ serial, events: ['2 PERIODIC'] })
  inform.parameterList.push({
    name: 'InternetGatewayDevice.ManagementServer.ConnectionRequestPassword',
    value: secret,
    type: 'xsd:string',
  })
  expect((await cpe.post(inform, 'inform-1')).status).toBe(200)
  expect((await cpe.post(null)).status).toBe(204)
  cpe.close()
}

function storedBodies(bench: Bench): string {
  const rows = bench.store.db.prepare('SELECT body FROM soap_bodies').all() as { body: Buffer }[]
  return rows.map((r) => decompress(r.body)).join('\n')
}

function syncedRecords(bench: Bench): string {
  return bench.store.outbox
    .afterJson(0, 100_000)
    .map((r) => r.payloadJson)
    .join('\n')
}

const storedCwmp = (bench: Bench) =>
  bench.store.settings.get<{ cwmp?: { keepSecretsInLog?: boolean } }>(STORED_CONFIG_KEY, {}).cwmp

describe('settings: keep secrets in the event log', () => {
  it('is off by default, refuses what is not true or false, and once saved keeps secrets in stored bodies only', async () => {
    const { bench, port } = await start()
    // Each session is the Inform and its answer: no discovery RPCs for a new device.
    bench.config.cwmp.discoverOnBootstrap = false
    await bench.acs.listen()
    const c = await client(port)
    expect(value<SettingsView>(await c.call('settings.get')).acs.keepSecretsInLog).toBe(false)

    const bad = await c.call('settings.save', { acs: { keepSecretsInLog: 'yes' } })
    expect(bad).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/keep secrets in the local event log must be true or false/) },
    })
    expect(bench.config.cwmp.keepSecretsInLog).toBe(false)
    expect(storedCwmp(bench)?.keepSecretsInLog).toBeUndefined()

    await informWith(bench, 'KEEP-1', 'cr-secret-before')
    expect(storedBodies(bench)).not.toContain('cr-secret-before')
    expect(storedBodies(bench)).toContain(SECRET_MASK)

    const saved = value<SettingsSaveResult>(await c.call('settings.save', { acs: { keepSecretsInLog: true } }))
    expect(saved.settings.acs.keepSecretsInLog).toBe(true)
    expect(saved.notes).toContain('Settings saved.')
    expect(bench.config.cwmp.keepSecretsInLog).toBe(true)
    expect(storedCwmp(bench)?.keepSecretsInLog).toBe(true)
    expect(value<SettingsView>(await c.call('settings.get')).acs.keepSecretsInLog).toBe(true)

    // In effect for the next session, without a restart; what was stored before stays masked.
    await informWith(bench, 'KEEP-2', 'cr-secret-after')
    const bodies = storedBodies(bench)
    expect(bodies).toContain('cr-secret-after')
    expect(bodies).not.toContain('cr-secret-before')
    const synced = syncedRecords(bench)
    expect(synced).toContain('KEEP-2')
    expect(synced).not.toContain('cr-secret-after')

    // Unticked again: the next bodies are masked.
    value(await c.call('settings.save', { acs: { keepSecretsInLog: false } }))
    expect(storedCwmp(bench)?.keepSecretsInLog).toBe(false)
    await informWith(bench, 'KEEP-3', 'cr-secret-off-again')
    expect(storedBodies(bench)).not.toContain('cr-secret-off-again')
    c.ws.close()
  })
})
