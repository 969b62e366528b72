import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SECRET_PLACEHOLDER } from '../../main/core/settings'
import type { CallReply, PickedFile, SettingsView, SyncSettings } from '../../preload/api'
import { client, start } from './helpers'

function value<T>(reply: CallReply): T {
  if (!reply.ok) throw new Error(`${reply.error.name}: ${reply.error.message}`)
  return reply.value as T
}

// Whoever reaches the API (a page that got through, docs/security.md) reads no stored secret and
// makes the bench read no file the technician did not pick.
describe('API secrets and file paths, over the real WebSocket', () => {
  it('never returns the CPE or connection request passwords, and a form saved back unchanged keeps them', async () => {
    const { port, bench } = await start()
    const c = await client(port)
    value(
      await c.call('settings.save', {
        acs: { authMode: 'digest', authUsername: 'cpe', authPassword: 'cpe-secret' },
        connectionRequest: { username: 'cr', password: 'cr-secret' },
      }),
    )
    const shown = value<SettingsView>(await c.call('settings.get'))
    expect(JSON.stringify(shown)).not.toMatch(/cpe-secret|cr-secret/)
    expect(shown.acs.authPassword).toBe(SECRET_PLACEHOLDER)
    expect(shown.connectionRequest.password).toBe(SECRET_PLACEHOLDER)

    // The Settings page sends its whole form back: the placeholders keep the secrets.
    const saved = value<{ settings: SettingsView }>(
      await c.call('settings.save', { ...shown, scripts: { ...shown.scripts, memoryMb: 64 } }),
    )
    expect(JSON.stringify(saved)).not.toMatch(/cpe-secret|cr-secret/)
    expect(bench.config.cwmp.auth.password).toBe('cpe-secret')
    expect(bench.config.connectionRequest.password).toBe('cr-secret')

    // Another value replaces a secret; an empty one clears it (and reads back as not set).
    value(await c.call('settings.save', { acs: { authPassword: 'new-secret' }, connectionRequest: { password: '' } }))
    expect(bench.config.cwmp.auth.password).toBe('new-secret')
    expect(bench.config.connectionRequest.password).toBe('')
    expect(value<SettingsView>(await c.call('settings.get')).connectionRequest.password).toBe('')
  })

  it('masks a NATS token given in the URL, and keeps it when the URL comes back masked', async () => {
    const { port, bench } = await start()
    const c = await client(port)
    value(await c.call('sync.configure', { nats: { url: 'nats://tok-secret@127.0.0.1:1' } }))
    const shown = value<SyncSettings>(await c.call('sync.settings'))
    expect(JSON.stringify(shown)).not.toContain('tok-secret')
    expect(shown.nats.url).toBe(`nats://${SECRET_PLACEHOLDER}@127.0.0.1:1`)
    value(await c.call('sync.configure', { nats: { url: shown.nats.url, stream: 'OTHER' } }))
    expect(bench.store.settings.get<SyncSettings>('sync.settings')?.nats.url).toBe('nats://tok-secret@127.0.0.1:1')
  })

  it('takes for a file setting only a file picked in the app, the one in effect, or none', async () => {
    const { port, bench } = await start()
    const c = await client(port)
    const elsewhere = join(bench.config.dataDir, 'not-picked.pem')
    writeFileSync(elsewhere, '-----BEGIN CERTIFICATE-----\n')
    const before = JSON.stringify(bench.store.settings.get('config', {}))
    for (const path of ['/etc/passwd', elsewhere, join(bench.config.dataDir, 'picked', '..', 'not-picked.pem')]) {
      const refused = await c.call('settings.save', { acs: { tlsCertFile: path, tlsKeyFile: path } })
      expect(refused, path).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
      expect(!refused.ok && refused.error.message).toMatch(/Choose file/)
      for (const [patch, what] of [
        [{ nats: { auth: { kind: 'creds', file: path } } }, 'creds'],
        [{ nats: { tls: { enabled: true, caFile: path } } }, 'CA'],
      ] as const)
        expect(await c.call('sync.configure', patch), what).toMatchObject({
          ok: false,
          error: { name: 'BadRequestError' },
        })
      expect(await c.call('sim.start', { count: 1, model: path })).toMatchObject({
        ok: false,
        error: { name: 'BadRequestError', message: expect.stringMatching(/Unknown data model/) },
      })
    }
    // Nothing was kept of the refused saves.
    expect(JSON.stringify(bench.store.settings.get('config', {}))).toBe(before)
    expect(bench.sync.settings().nats.auth).toEqual({ kind: 'none' })

    // A picked file: its content is kept in the data folder, whatever name it came with.
    const cert = value<PickedFile>(await c.call('files.upload', '../../cert.pem', 'CERT'))
    const key = value<PickedFile>(await c.call('files.upload', 'key.pem', 'KEY'))
    expect(dirname(cert.path)).toBe(join(bench.config.dataDir, 'picked'))
    expect(cert.path).toMatch(/-cert\.pem$/)
    expect(readFileSync(cert.path, 'utf8')).toBe('CERT')
    expect(existsSync(join(bench.config.dataDir, '..', 'cert.pem'))).toBe(false)
    // Accepted (the listener then fails on these not-real PEMs, and says so: the paths were taken).
    value(await c.call('settings.save', { acs: { tlsCertFile: cert.path, tlsKeyFile: key.path } }))
    expect(bench.config.cwmp.tls).toEqual({ certFile: cert.path, keyFile: key.path })
    // The form saved back as shown keeps them; an empty pair turns HTTPS off.
    const shown = value<SettingsView>(await c.call('settings.get'))
    value(await c.call('settings.save', shown))
    expect(bench.config.cwmp.tls).toEqual({ certFile: cert.path, keyFile: key.path })
    value(await c.call('settings.save', { acs: { tlsCertFile: '', tlsKeyFile: '' } }))
    expect(bench.config.cwmp.tls).toBeUndefined()

    const creds = value<PickedFile>(await c.call('files.upload', 'bench.creds', 'CREDS'))
    value(await c.call('sync.configure', { nats: { auth: { kind: 'creds', file: creds.path } } }))
    expect(bench.sync.settings().nats.auth).toEqual({ kind: 'creds', file: creds.path })
  })
})
