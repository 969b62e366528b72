import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DeviceStatus } from '../../main/core/store'
import { appliedMigrations, openDatabase } from '../../main/core/store/db'
import { openBenchStore } from '../../main/core/database'
import { createBench } from '../../main/core/bench'
import { CORE_MIGRATIONS } from '../../main/core/store/migrations'

const dirs: string[] = []
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'))
  dirs.push(dir)
  return join(dir, 'bench.sqlite')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('Store', () => {
  it('opens a file in WAL mode with foreign keys and records migrations', () => {
    const store = openBenchStore(tempFile())
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(appliedMigrations(store.db).map((m) => m.version)).toContain(1)
    store.close()
  })

  it('upserts devices and writes one outbox row per real change', () => {
    const store = openBenchStore(tempFile())
    const first = store.devices.upsert('SN1', {
      manufacturer: 'ACME',
      model: 'R1',
      connectionRequestPassword: 'secret',
    })
    expect(first.created).toBe(true)
    expect(store.devices.upsert('SN1', { model: 'R1' }).changed).toBe(false)
    store.devices.upsert('SN1', { status: DeviceStatus.Online })
    const rows = store.outbox.after(0, 100)
    expect(rows.map((r) => r.topic)).toEqual(['device', 'device'])
    expect(JSON.stringify(rows)).not.toContain('secret')
    expect(rows.every((r) => r.site === store.siteId)).toBe(true)
    store.close()
  })

  it('keeps the parameter tree browsable and merges partial knowledge', () => {
    const store = openBenchStore(tempFile())
    store.devices.upsert('SN1', {})
    store.parameters.upsert('SN1', [{ name: 'IGD.DeviceInfo.SoftwareVersion', value: '1.0', type: 'xsd:string' }])
    store.parameters.upsert('SN1', [{ name: 'IGD.DeviceInfo.SoftwareVersion', writable: false }])
    expect(store.parameters.children('SN1', '').map((p) => p.name)).toEqual(['IGD.'])
    expect(store.parameters.children('SN1', 'IGD.').map((p) => p.name)).toEqual(['IGD.DeviceInfo.'])
    expect(store.parameters.get('SN1', 'IGD.DeviceInfo.SoftwareVersion')).toMatchObject({
      value: '1.0',
      writable: false,
      type: 'xsd:string',
    })
    expect(store.parameters.removeSubtree('SN1', 'IGD.DeviceInfo.')).toBe(2)
    expect(store.devices.delete('SN1')).toBe(true)
    expect(store.parameters.count('SN1')).toBe(0)
    store.close()
  })

  it('rolls back a transaction as a whole, outbox included', () => {
    const file = tempFile()
    const store = openBenchStore(file)
    expect(() =>
      store.transaction(() => {
        store.events.append({ kind: 'system', summary: 'half' })
        throw new Error('crash in the middle')
      }),
    ).toThrow('crash in the middle')
    expect(store.events.count()).toBe(0)
    expect(store.outbox.maxSeq()).toBe(0)
    store.events.append({ kind: 'fault', severity: 'warn', serial: 'SN9', summary: 'fault 9005', soapIn: '<x/>' })
    store.close()
    const reopened = openBenchStore(file)
    const [event] = reopened.events.query({ severity: 'warn' })
    expect(event).toMatchObject({ kind: 'fault', serial: 'SN9', hasSoap: true })
    expect(reopened.events.soap(event!.seq)).toEqual({ soapIn: '<x/>', soapOut: null })
    reopened.close()
  })
})

describe('removing parameters', () => {
  it('takes subtrees for object paths and exact names otherwise, in outbox rows of at most 500 names', () => {
    const store = openBenchStore(tempFile())
    store.devices.upsert('SN1', {})
    const leaves = Array.from({ length: 1200 }, (_, i) => ({ name: `IGD.Hosts.Host.${i + 1}.IP`, value: '10.0.0.1' }))
    store.parameters.upsert('SN1', [
      ...leaves,
      { name: 'IGD.X.Enable', value: '1' },
      { name: 'IGD.X.EnableX', value: '1' },
    ])
    const before = store.outbox.maxSeq()
    const hosts = Array.from({ length: 1200 }, (_, i) => `IGD.Hosts.Host.${i + 1}.`)
    // 1200 instance objects (each with its IP) and one exact leaf; "IGD.X.EnableX" must stay.
    expect(store.parameters.removeAll('SN1', [...hosts, 'IGD.X.Enable', 'IGD.Missing'])).toBe(2401)
    expect(store.parameters.get('SN1', 'IGD.X.EnableX')).toBeDefined()
    expect(store.parameters.get('SN1', 'IGD.X.Enable')).toBeUndefined()
    const rows = store.outbox.after(before, 10)
    expect(rows.map((r) => (r.payload as { removed: string[] }).removed.length)).toEqual([500, 500, 201])
    expect((rows[2]!.payload as { removed: string[] }).removed.at(-1)).toBe('IGD.X.Enable')
    store.close()
  })

  it('moves script limits saved under their old names to the names and units of ScriptLimits', async () => {
    const file = tempFile()
    // A database as the first release left it: schema version 1, settings saved in ms and bytes.
    // (The bare database: today's Store prepares statements on columns later migrations add.)
    const old = openDatabase(file, { migrations: CORE_MIGRATIONS.filter((m) => m.version === 1) })
    old
      .prepare("INSERT INTO settings (key, value) VALUES ('config', ?)")
      .run(JSON.stringify({ scripts: { timeoutMs: 90_000, memoryBytes: 96 * 1024 * 1024, keepRuns: 50 } }))
    old.close()
    const store = openBenchStore(file)
    expect(store.settings.get('config')).toEqual({ scripts: { wallMs: 90_000, memoryMb: 96, keepRuns: 50 } })
    store.close()
    const bench = await createBench({ dataDir: join(file, '..') }, { scripts: { seedExamples: false } })
    expect(bench.config.scripts).toMatchObject({ wallMs: 90_000, memoryMb: 96, keepRuns: 50 })
    await bench.close()
  })
})
