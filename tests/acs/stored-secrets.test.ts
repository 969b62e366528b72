// Secrets sent to or told by a CPE (a Wi-Fi key, ManagementServer.Password, a connection-request
// password, an environment's secret in a SetParameterValues) in what the bench keeps and syncs: the
// real ACS over HTTP, a real SQLite file read back raw, and the records a real nats-server received.
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { databaseFile } from '../../main/core/database'
import { decompress } from '../../main/core/store/bodies'
import { SECRET_MASK } from '../../main/core/store/secrets'
import { streamMessages, waitForTarget } from '../sync/helpers'
import { startNatsServer, type NatsServer } from '../sync/nats-server'
import { informBody, ManualCpe, plainSession, startAcs, type TestAcs } from './helpers'

const IGD = 'InternetGatewayDevice.'
const WIFI_KEY = 'wifi-Key-4711'
const MGMT_PASSWORD = 'mgmt-pw-0815'
const CR_PASSWORD = 'cr-pass-9'
const CPE_TOLD_KEY = 'cpe-told-key-7'
/** An environment's secret, with characters XML escapes. */
const ENV_SECRET = 'tok&<en>-42'
const SECRETS = [WIFI_KEY, MGMT_PASSWORD, CR_PASSWORD, CPE_TOLD_KEY, ENV_SECRET, 'tok&amp;&lt;en&gt;-42']

let acs: TestAcs | undefined
let nats: NatsServer | undefined
afterEach(async () => {
  await acs?.close()
  await nats?.dispose()
  acs = nats = undefined
})

/**
 * A periodic session in which the ACS sets a Wi-Fi key, the management password and a value that
 * is an environment's secret, and reads the key back (the CPE tells it); the Inform carries the
 * connection-request password.
 */
async function sessionWithSecrets(a: TestAcs, serial: string): Promise<void> {
  const cpe = new ManualCpe(a.url)
  await plainSession(cpe, { serial, events: ['2 PERIODIC'] })
  const key = `${IGD}LANDevice.1.WLANConfiguration.1.PreSharedKey.1.KeyPassphrase`
  const set = a.bench.acs
    .execute(serial, {
      method: 'SetParameterValues',
      parameterList: [
        { name: key, value: WIFI_KEY, type: 'xsd:string' },
        { name: `${IGD}ManagementServer.Password`, value: MGMT_PASSWORD, type: 'xsd:string' },
        { name: `${IGD}DeviceInfo.X_Note`, value: ENV_SECRET, type: 'xsd:string' },
      ],
      parameterKey: '',
    })
    .catch((e: unknown) => e)
  const read = a.bench.acs
    .execute(serial, { method: 'GetParameterValues', parameterNames: [key] })
    .catch((e: unknown) => e)
  await expect
    .poll(() => a.bench.acs.rpcs(serial).filter((r) => r.state === 'queued').length, { timeout: 10_000 })
    .toBe(2)
  const inform = informBody({ serial, events: ['2 PERIODIC'] })
  inform.parameterList.push({
    name: `${IGD}ManagementServer.ConnectionRequestPassword`,
    value: CR_PASSWORD,
    type: 'xsd:string',
  })
  expect((await cpe.post(inform, 'inform-2')).status).toBe(200)
  const spv = await cpe.post(null)
  expect(spv.envelope?.body?.method).toBe('SetParameterValues')
  const gpv = await cpe.post({ method: 'SetParameterValuesResponse', status: 0 }, spv.envelope!.header.id)
  expect(gpv.envelope?.body?.method).toBe('GetParameterValues')
  const end = await cpe.post(
    {
      method: 'GetParameterValuesResponse',
      parameterList: [{ name: key, value: CPE_TOLD_KEY, type: 'xsd:string' }],
    },
    gpv.envelope!.header.id,
  )
  expect(end.status).toBe(204)
  cpe.close()
  expect(await set).toMatchObject({ method: 'SetParameterValuesResponse' })
  expect(await read).toMatchObject({ method: 'GetParameterValuesResponse' })
}

/** Every stored SOAP body and event summary, read from the file as an export would. */
function storedText(dir: string): { bodies: string[]; summaries: string[] } {
  const db = new Database(databaseFile(dir), { readonly: true })
  try {
    return {
      bodies: (db.prepare('SELECT body FROM soap_bodies').all() as { body: Buffer }[]).map((r) => decompress(r.body)),
      summaries: (db.prepare('SELECT summary FROM events').all() as { summary: string }[]).map((r) => r.summary),
    }
  } finally {
    db.close()
  }
}

async function start(keepSecretsInLog: boolean): Promise<{ a: TestAcs; url: string }> {
  nats = await startNatsServer()
  acs = await startAcs({ cwmp: { keepSecretsInLog } })
  acs.bench.scripts.environments.create({
    name: 'lab',
    variables: [{ name: 'TOKEN', value: ENV_SECRET, secret: true }],
  })
  await acs.bench.sync.configure({ nats: { url: nats.url, enabled: true } })
  return { a: acs, url: nats.url }
}

/** What the central server got: every message the stream holds, once the outbox is sent. */
async function synced(a: TestAcs, url: string): Promise<string> {
  await waitForTarget(
    a.bench.events,
    () => a.bench.sync.status(),
    'nats',
    (t) => t.backlog === 0 && t.state === 'idle',
  )
  const messages = await streamMessages(url, 'BENCH')
  const outbox = a.bench.store.outbox.afterJson(0, 100_000).map((r) => r.payloadJson)
  return [...messages.map((m) => m.data), ...outbox].join('\n')
}

describe('secrets in stored SOAP bodies and synced records', () => {
  it('are masked in both by default; the RPC list names the parameter, not its value', async () => {
    const { a, url } = await start(false)
    await sessionWithSecrets(a, 'SEC-1')
    const { bodies, summaries } = storedText(a.dir)
    const all = [...bodies, ...summaries].join('\n')
    for (const secret of SECRETS) expect(all).not.toContain(secret)
    const spv = bodies.find((b) => b.includes('<cwmp:SetParameterValues>'))!
    expect(spv).toContain(
      `<Name>${IGD}ManagementServer.Password</Name><Value xsi:type="xsd:string">${SECRET_MASK}</Value>`,
    )
    // The rest of the message stays as it was sent.
    expect(spv).toContain(`<Name>${IGD}DeviceInfo.X_Note</Name>`)
    // The RPC list (and an unanswered RPC's row) describes it in a few words: the name, not the key.
    const described = a.bench.acs.rpcs('SEC-1').find((r) => r.method === 'SetParameterValues')!
    expect(JSON.stringify(described)).toContain(`KeyPassphrase=${SECRET_MASK}`)
    expect(JSON.stringify(described)).not.toContain(WIFI_KEY)

    const sent = await synced(a, url)
    expect(sent).toContain('cwmp:Inform')
    expect(sent).toContain('KeyPassphrase')
    for (const secret of SECRETS) expect(sent).not.toContain(secret)
  }, 60_000)

  it('are kept in stored SOAP bodies when the setting says so, and masked in what is synced all the same', async () => {
    const { a, url } = await start(true)
    await sessionWithSecrets(a, 'SEC-2')
    const stored = storedText(a.dir).bodies.join('\n')
    // The technician sees what was sent and what the CPE said.
    for (const secret of [WIFI_KEY, MGMT_PASSWORD, CR_PASSWORD, CPE_TOLD_KEY, 'tok&amp;&lt;en&gt;-42'])
      expect(stored).toContain(secret)
    const sent = await synced(a, url)
    expect(sent).toContain('ConnectionRequestPassword')
    for (const secret of SECRETS) expect(sent).not.toContain(secret)
  }, 60_000)
})
