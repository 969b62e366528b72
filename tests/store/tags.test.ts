import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openBenchStore } from '../../main/core/database'
import { openDatabase } from '../../main/core/store/db'
import { CORE_MIGRATIONS } from '../../main/core/store/migrations'
import { MAX_TAGS_PER_DEVICE } from '../../main/core/store'

const dirs: string[] = []
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tags-'))
  dirs.push(dir)
  return join(dir, 'bench.sqlite')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('device tags', () => {
  it('come to a database made before them, keep its devices, filter the list and go with their device', () => {
    const file = tempFile()
    // A database as it was before tags (migrations 1–4), with a device in it.
    const old = openDatabase(file, { migrations: CORE_MIGRATIONS.filter((m) => m.version <= 4) })
    old.prepare("INSERT INTO devices (serial, first_seen, alias) VALUES ('OLD-1', 1, 'kept')").run()
    old.close()

    const store = openBenchStore(file)
    expect(store.devices.get('OLD-1')?.alias).toBe('kept')
    store.devices.upsert('NEW-1', { model: 'm' })
    store.devices.upsert('NEW-2', { model: 'm' })
    // Unknown serials are not tagged (no tag without its device).
    expect(store.tags.add(['OLD-1', 'NEW-1', 'GONE'], 'shelf')).toBe(2)
    expect(store.tags.add(['OLD-1'], 'shelf')).toBe(0)
    expect(store.tags.all()).toEqual([{ tag: 'shelf', devices: 2 }])
    expect(store.devices.count({ tag: 'shelf' })).toBe(2)
    expect(store.devices.serialsOf({ tag: 'shelf', text: 'new' })).toEqual(['NEW-1'])
    expect(store.devices.list({ tag: 'nope' })).toEqual([])

    // A device holds at most MAX_TAGS_PER_DEVICE tags; past it, adding leaves it out.
    for (let i = 1; i < MAX_TAGS_PER_DEVICE; i++) store.tags.add(['NEW-2'], `t${String(i).padStart(2, '0')}`)
    expect(store.tags.add(['NEW-2'], 'last')).toBe(1)
    expect(store.tags.add(['NEW-2'], 'one-too-many')).toBe(0)
    expect(store.tags.of('NEW-2')).toHaveLength(MAX_TAGS_PER_DEVICE)

    expect(store.devices.delete('NEW-1')).toBe(true)
    expect(store.tags.all().find((t) => t.tag === 'shelf')).toEqual({ tag: 'shelf', devices: 1 })
    expect(store.tags.remove(['OLD-1', 'NEW-2'], 'shelf')).toBe(1)
    store.close()
  })
})
