import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { applyResult } from '../../main/core/acs/results'
import { BenchEvents } from '../../main/core/events'
import { Journal } from '../../main/core/journal'
import { Store } from '../../main/core/store'
import { openBenchStore, databaseFile } from '../../main/core/database'

const dirs: string[] = []
function open(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'bench-acs-store-'))
  dirs.push(dir)
  return openBenchStore(databaseFile(dir))
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('what answered RPCs do to the stored tree', () => {
  it('GetParameterNames prunes what the CPE no longer lists, by exact name for parameters', () => {
    const store = open()
    store.devices.upsert('S', {})
    store.parameters.upsert('S', [
      { name: 'A.X.Enable', value: '1' },
      { name: 'A.X.EnableLog', value: '0' },
      { name: 'A.T.1.Name', value: 'one' },
      { name: 'A.T.2.Name', value: 'two' },
    ])
    const listed = ['A.', 'A.X.', 'A.X.EnableLog', 'A.T.', 'A.T.1.', 'A.T.1.Name'].map((name) => ({
      name,
      writable: name.endsWith('Log'),
    }))
    const change = applyResult(
      store,
      'S',
      { method: 'GetParameterNames', parameterPath: 'A.', nextLevel: false },
      { method: 'GetParameterNamesResponse', parameterList: listed },
    )
    expect(change.removedPrefixes.sort()).toEqual(['A.T.2.', 'A.X.Enable'])
    expect(store.parameters.subtree('S', 'A.').map((p) => p.name)).toEqual([
      'A.',
      'A.T.',
      'A.T.1.',
      'A.T.1.Name',
      'A.X.',
      'A.X.EnableLog',
    ])
    expect(store.parameters.get('S', 'A.X.EnableLog')).toMatchObject({ value: '0', writable: true })

    // NextLevel: only direct children are compared.
    applyResult(
      store,
      'S',
      { method: 'GetParameterNames', parameterPath: 'A.T.', nextLevel: true },
      { method: 'GetParameterNamesResponse', parameterList: [{ name: 'A.T.3.', writable: true }] },
    )
    expect(store.parameters.children('S', 'A.T.').map((p) => p.name)).toEqual(['A.T.3.'])
    store.close()
  })

  it('AddObject creates the instance, DeleteObject removes its subtree, SPV stores only on status 0/1', () => {
    const store = open()
    store.devices.upsert('S', {})
    applyResult(
      store,
      'S',
      { method: 'AddObject', objectName: 'A.T.', parameterKey: '' },
      { method: 'AddObjectResponse', instanceNumber: 7, status: 0 },
    )
    expect(store.parameters.get('S', 'A.T.7.')).toMatchObject({ object: true })
    store.parameters.upsert('S', [
      { name: 'A.T.7.Name', value: 'x' },
      { name: 'A.T.70.Name', value: 'y' },
    ])
    applyResult(
      store,
      'S',
      { method: 'DeleteObject', objectName: 'A.T.7.', parameterKey: '' },
      { method: 'DeleteObjectResponse', status: 0 },
    )
    expect(store.parameters.subtree('S', 'A.T.').map((p) => p.name)).toEqual(['A.T.', 'A.T.70.', 'A.T.70.Name'])
    const spv = {
      method: 'SetParameterValues' as const,
      parameterList: [{ name: 'A.V', value: '5', type: 'xsd:int' }],
      parameterKey: '',
    }
    applyResult(store, 'S', spv, { method: 'SetParameterValuesResponse', status: 1 })
    expect(store.parameters.get('S', 'A.V')).toMatchObject({ value: '5', type: 'xsd:int' })
    applyResult(
      store,
      'S',
      { ...spv, parameterList: [{ name: 'A.V', value: '6', type: 'xsd:int' }] },
      { method: 'SetParameterValuesResponse', status: 2 },
    )
    expect(store.parameters.get('S', 'A.V')?.value).toBe('5')
    store.close()
  })
})

describe('journal transactions', () => {
  it('announces events and afterCommit callbacks only after the commit, and never after a rollback', () => {
    const store = open()
    const events = new BenchEvents()
    const journal = new Journal(store, events)
    const heard: string[] = []
    events.on('event.logged', (e) => heard.push(e.summary))
    journal.transaction((record) => {
      record({ kind: 'system', summary: 'one' })
      journal.afterCommit(() => heard.push('after'))
      expect(heard).toEqual([])
      expect(() =>
        journal.transaction((inner) => {
          inner({ kind: 'system', summary: 'rolled back' })
          journal.afterCommit(() => heard.push('never'))
          throw new Error('inner fails')
        }),
      ).toThrow('inner fails')
    })
    expect(heard).toEqual(['one', 'after'])
    expect(store.events.query().map((e) => e.summary)).toEqual(['one'])
    store.close()
  })
})
