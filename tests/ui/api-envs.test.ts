import { describe, expect, it } from 'vitest'
import { SECRET_PLACEHOLDER } from '../../main/core/settings'
import type { CallReply, RunOutputLine, RunRecord, ScriptEnv, ScriptRecord } from '../../preload/api'
import { client, start } from './helpers'

function value<T>(reply: CallReply): T {
  if (!reply.ok) throw new Error(`${reply.error.name}: ${reply.error.message}`)
  return reply.value as T
}

const KEY = 'api-wifi-key-77'

// Script environments over the real headless server's WebSocket API, as the Scripts page uses it.
describe('script environments over the API', () => {
  it('creates, lists with secrets masked, keeps a secret saved back unchanged, and masks it in run output', async () => {
    const { port, bench } = await start()
    const c = await client(port)
    const created = value<ScriptEnv>(
      await c.call('scripts.saveEnv', null, {
        name: 'Customer A',
        variables: [
          { name: 'SSID', value: 'CustA' },
          { name: 'WIFI_KEY', value: KEY, secret: true },
        ],
      }),
    )
    expect(JSON.stringify(created)).not.toContain(KEY)
    const listed = value<ScriptEnv[]>(await c.call('scripts.envs'))
    expect(listed).toHaveLength(1)
    expect(listed[0]!.variables).toEqual([
      { name: 'SSID', value: 'CustA', secret: false },
      { name: 'WIFI_KEY', value: SECRET_PLACEHOLDER, secret: true },
    ])

    // The panel sends its whole form back: the placeholder keeps the key, the rename and the new value apply.
    const updated = value<ScriptEnv>(
      await c.call('scripts.saveEnv', created.id, {
        name: 'Customer A (5G)',
        isDefault: true,
        variables: [...listed[0]!.variables, { name: 'VLAN', value: '35' }],
      }),
    )
    expect(updated).toMatchObject({ name: 'Customer A (5G)', isDefault: true })
    expect(bench.scripts.environments.forRun('Customer A (5G)')?.values).toEqual({
      SSID: 'CustA',
      VLAN: '35',
      WIFI_KEY: KEY,
    })

    const script = value<ScriptRecord>(
      await c.call('scripts.create', 'Print key', 'print("key " .. env.WIFI_KEY .. " on " .. env.SSID)'),
    )
    const [run] = value<RunRecord[]>(await c.call('scripts.run', script.id, { kind: 'none' }, 'Customer A (5G)'))
    await bench.scripts.wait(run!.id)
    const lines = value<RunOutputLine[]>(await c.call('scripts.output', run!.id))
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(['key •••• on CustA'])

    // No environment named: the default one (set above).
    const [byDefault] = value<RunRecord[]>(await c.call('scripts.run', script.id, { kind: 'none' }))
    expect((await bench.scripts.wait(byDefault!.id)).status).toBe('ok')
    expect(JSON.stringify(value(await c.call('scripts.output', byDefault!.id)))).toContain('key •••• on CustA')
  })

  it('answers bad input with a clear error and changes nothing', async () => {
    const { port } = await start()
    const c = await client(port)
    const bad = await c.call('scripts.saveEnv', null, { name: 'Lab', variables: [{ name: 'has space', value: 'x' }] })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.message).toMatch(/"has space" is not a valid name/)
    const noName = await c.call('scripts.saveEnv', null, { name: '  ', variables: [] })
    expect(noName.ok).toBe(false)
    const gone = await c.call('scripts.saveEnv', '01NOSUCHENV', { name: 'X', variables: [] })
    expect(gone.ok).toBe(false)
    if (!gone.ok) expect(gone.error.message).toMatch(/no longer exists/)
    const script = value<ScriptRecord>(await c.call('scripts.create', 'S', 'return 1'))
    const unknown = await c.call('scripts.run', script.id, { kind: 'none' }, 'Nowhere')
    expect(unknown.ok).toBe(false)
    if (!unknown.ok) expect(unknown.error.message).toMatch(/no environment named "Nowhere"/)
    expect(value<ScriptEnv[]>(await c.call('scripts.envs'))).toEqual([])
  })
})
