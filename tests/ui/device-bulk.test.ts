/** The device list's bulk work, tags, alias and CSV export, over the real headless server and a real fleet. */
import { describe, expect, it, vi } from 'vitest'
import { startAcs } from '../../main/api/services'
import type { BatchProgress, BulkResult, DevicePage, ExportResult } from '../../preload/api'
import { client, start } from './helpers'
import { ok } from '../support/api-reply'

/** A headless server with its ACS listening and `n` simulated CPEs that have informed. */
async function fleet(n: number) {
  const { bench, port } = await start()
  expect(await startAcs(bench, () => {})).toBeNull()
  const c = await client(port)
  await ok(c.call('sim.start', { count: n, model: 'tr098', serialPrefix: 'BULK' }))
  await vi.waitFor(() => expect(bench.store.devices.count({ text: 'BULK' })).toBe(n), { timeout: 30_000 })
  return { bench, c }
}

describe('bulk work on the device list (API)', () => {
  it('reboots every device a filter matches as one script batch, resolved on the server', async () => {
    const { bench, c } = await fleet(5)
    // A device that does not match the filter is left alone.
    bench.store.devices.upsert('OTHER-1', { model: 'x' })
    const started = await ok<BulkResult>(c.call('devices.bulk', { query: { text: 'bulk' } }, { kind: 'reboot' }))
    expect(started).toMatchObject({ devices: 5, message: 'Reboot started on 5 devices.' })
    expect(started.batchId).toBeTruthy()
    let batch: BatchProgress | undefined
    await vi.waitFor(
      async () => {
        batch = (await ok<BatchProgress[]>(c.call('scripts.batches'))).find((b) => b.batchId === started.batchId)
        expect(batch).toMatchObject({ total: 5, done: 5, failed: 0, queued: 0, running: 0 })
      },
      { timeout: 60_000, interval: 200 },
    )
    const runs = bench.scripts.runs({ limit: 10 }).filter((r) => r.batchId === started.batchId)
    expect(runs.map((r) => r.targets[0]).sort()).toEqual([
      'BULK000001',
      'BULK000002',
      'BULK000003',
      'BULK000004',
      'BULK000005',
    ])
    // Each simulated CPE really rebooted: it came back with "1 BOOT".
    await vi.waitFor(
      () =>
        expect(
          bench.store.events.query({ kinds: ['inform'], limit: 500 }).filter((e) => e.summary.includes('1 BOOT'))
            .length,
        ).toBeGreaterThanOrEqual(5),
      { timeout: 60_000 },
    )
    // A library script on the selection: one batch, one run per device with DEVICE set.
    const script = bench.scripts.create({ name: 'hello', source: 'print("hello " .. DEVICE)' })
    const ran = await ok<BulkResult>(
      c.call('devices.bulk', { serials: ['BULK000002', 'BULK000003'] }, { kind: 'script', scriptId: script.id }),
    )
    expect(ran).toMatchObject({ devices: 2, message: '"hello" started on 2 devices.' })
    await vi.waitFor(
      async () =>
        expect(
          (await ok<BatchProgress[]>(c.call('scripts.batches'))).find((b) => b.batchId === ran.batchId),
        ).toMatchObject({ total: 2, done: 2 }),
      { timeout: 30_000, interval: 200 },
    )
    const outputs = bench.scripts
      .runs({ scriptId: script.id })
      .map((r) => bench.scripts.output(r.id).map((l) => l.text))
      .flat()
      .sort()
    expect(outputs).toEqual(['hello BULK000002', 'hello BULK000003'])
    // One device named by serial is a batch too, so its progress shows the same way.
    const one = await ok<BulkResult>(c.call('devices.bulk', { serials: ['BULK000001'] }, { kind: 'reboot' }))
    expect(one.batchId).toBeTruthy()
  })

  it('tags, filters by tag, marks simulated CPEs and refuses bad input', async () => {
    const { bench, c } = await fleet(3)
    bench.store.devices.upsert('REAL-1', { model: 'x', connectionRequestUrl: 'http://10.0.0.9:7547/' })
    const tagged = await ok<BulkResult>(
      c.call('devices.bulk', { serials: ['BULK000001', 'REAL-1'] }, { kind: 'tag', tag: ' shelf-3 ' }),
    )
    expect(tagged).toMatchObject({ devices: 2, batchId: null })
    // Again: nothing new.
    expect(
      await ok<BulkResult>(c.call('devices.bulk', { serials: ['REAL-1'] }, { kind: 'tag', tag: 'shelf-3' })),
    ).toMatchObject({ devices: 0 })
    const page = await ok<DevicePage>(c.call('devices.list', { tag: 'shelf-3' }))
    expect(page.rows.map((d) => [d.serial, d.tags, d.simulated])).toEqual([
      ['BULK000001', ['shelf-3'], true],
      ['REAL-1', ['shelf-3'], false],
    ])
    expect(await ok(c.call('devices.tags'))).toEqual([{ tag: 'shelf-3', devices: 2 }])
    // Untag by filter: every device with the tag.
    expect(
      await ok<BulkResult>(c.call('devices.bulk', { query: { tag: 'shelf-3' } }, { kind: 'untag', tag: 'shelf-3' })),
    ).toMatchObject({ devices: 2 })
    expect(await ok(c.call('devices.tags'))).toEqual([])

    for (const [selection, action, message] of [
      [{ serials: ['BULK000001'] }, { kind: 'tag', tag: '' }, 'Type a tag.'],
      [{ serials: ['BULK000001'] }, { kind: 'tag', tag: 'x'.repeat(65) }, 'at most 64'],
      [{ serials: ['BULK000001'] }, { kind: 'tag', tag: 'a\nb' }, 'control characters'],
      [{ serials: ['NOPE'] }, { kind: 'reboot' }, 'Not in the device list'],
      [{ query: { text: 'nothing-matches' } }, { kind: 'reboot' }, 'No device is selected'],
      [{ serials: ['BULK000001'] }, { kind: 'format-disk' }, 'bulk action'],
      [{ serials: ['BULK000001'] }, { kind: 'script', scriptId: 'no-such-script' }, 'no script'],
    ] as const) {
      const reply = await c.call('devices.bulk', selection, action)
      expect(reply.ok).toBe(false)
      if (!reply.ok) expect(reply.error.message).toContain(message)
    }
    // A refused action changed nothing and started nothing.
    expect(bench.scripts.active()).toEqual([])
    expect(await ok(c.call('devices.tags'))).toEqual([])
  })

  it('sets an alias that the list shows and its search finds', async () => {
    const { bench, c } = await fleet(2)
    const view = await ok<{ alias: string }>(c.call('devices.setAlias', 'BULK000002', '  Customer 42 kitchen '))
    expect(view.alias).toBe('Customer 42 kitchen')
    const found = await ok<DevicePage>(c.call('devices.list', { text: 'KITCHEN' }))
    expect(found.rows.map((d) => d.serial)).toEqual(['BULK000002'])
    // An Inform does not overwrite what the technician set.
    await ok(c.call('devices.wake', 'BULK000002'))
    await vi.waitFor(() => expect(bench.store.devices.get('BULK000002')?.alias).toBe('Customer 42 kitchen'))
    for (const [serial, alias] of [
      ['BULK000002', 'x'.repeat(129)],
      ['BULK000002', 'two\nlines'],
      ['NOPE', 'x'],
    ])
      expect(await c.call('devices.setAlias', serial, alias)).toMatchObject({ ok: false })
    expect(await ok(c.call('devices.setAlias', 'BULK000002', ''))).toMatchObject({ alias: '' })
  })

  it('exports the whole filtered list as CSV, escaped against formulas, with the provisioning state', async () => {
    const { bench, c } = await fleet(1)
    bench.store.transaction(() => {
      // CPE strings are untrusted: each of these would run as a formula in a spreadsheet.
      bench.store.devices.upsert('EVIL-1', {
        manufacturer: '=HYPERLINK("http://x","y")',
        model: '+1+1',
        softwareVersion: '-2',
        ip: '@SUM(A1)',
      })
      bench.store.devices.upsert('EVIL-2', { manufacturer: 'Comma, "quoted"\nbroken' })
      for (let i = 0; i < 1500; i++) bench.store.devices.upsert(`MANY${String(i).padStart(4, '0')}`, { model: 'm' })
    })
    const evil = await ok<ExportResult>(
      c.call('devices.exportCsv', { text: 'EVIL' }, [
        'serial',
        'manufacturer',
        'model',
        'softwareVersion',
        'ip',
        'provisioning',
      ]),
    )
    expect(evil).toMatchObject({ mimeType: 'text/csv', rows: 2, truncated: false })
    expect(evil.fileName).toMatch(/^bench-acs-devices-.*\.csv$/)
    expect(evil.content).toBe(
      'serial,vendor,model,software version,ip,provisioning\r\n' +
        `EVIL-1,"'=HYPERLINK(""http://x"",""y"")",'+1+1,'-2,'@SUM(A1),\r\n` +
        'EVIL-2,"Comma, ""quoted""\nbroken",,,,\r\n',
    )
    // The whole filter, not a page of it; columns in the list's order whatever order they were asked in.
    const many = await ok<ExportResult>(c.call('devices.exportCsv', { text: 'MANY' }, ['status', 'serial']))
    expect(many.rows).toBe(1500)
    const lines = many.content.trimEnd().split('\r\n')
    expect(lines[0]).toBe('serial,status')
    expect(lines).toHaveLength(1501)
    expect(lines[1500]).toBe('MANY1499,offline')

    // Selection by filter is resolved on the server: all 1,500, not the rows a page has loaded.
    expect(
      await ok<BulkResult>(c.call('devices.bulk', { query: { text: 'MANY' } }, { kind: 'tag', tag: 'many' })),
    ).toMatchObject({ devices: 1500 })
    expect(await ok<DevicePage>(c.call('devices.list', { tag: 'many', limit: 1 }))).toMatchObject({ total: 1500 })

    // The provisioning column holds each device's state.
    await ok(
      c.call('profiles.save', {
        name: 'label',
        match: { serial: 'BULK*' },
        steps: [{ set: { 'InternetGatewayDevice.DeviceInfo.ProvisioningCode': 'BENCH' } }],
      }),
    )
    const profiled = await ok<BulkResult>(
      c.call('devices.bulk', { serials: ['BULK000001'] }, { kind: 'profile', profile: 'label' }),
    )
    expect(profiled).toMatchObject({ devices: 1, batchId: null })
    expect(profiled.profileRunIds).toHaveLength(1)
    await vi.waitFor(() => expect(bench.profiles.states()['BULK000001']).toBe('done'), { timeout: 30_000 })
    const done = await ok<ExportResult>(
      c.call('devices.exportCsv', { provisioning: 'done' }, ['serial', 'provisioning']),
    )
    expect(done.content).toBe('serial,provisioning\r\nBULK000001,done\r\n')
    expect(await c.call('devices.exportCsv', {}, ['serial', 'cr_password'])).toMatchObject({ ok: false })
    expect(await c.call('devices.exportCsv', {}, [])).toMatchObject({ ok: false })
  })
})
