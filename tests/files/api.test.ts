import { afterEach, describe, expect, it } from 'vitest'
import { createApiService, type BenchApiService } from '../../main/api'
import type { FileFetchProgress, LibraryFile } from '../../preload/api'
import { until } from '../acs/helpers'
import { startBench, type TestBench } from '../lua/helpers'
import { testImage } from './helpers'
import { ok } from '../support/api-reply'

// The UI's calls (preload/api.ts) through the one API implementation, on a real bench with a
// simulated CPE fetching over real HTTP.

let tb: TestBench | undefined
let api: BenchApiService | undefined
afterEach(async () => {
  await api?.close()
  await tb?.close()
  api = tb = undefined
})

function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  return ok<T>(api!.call(channel, args))
}

describe('the files API', () => {
  it('adds a file from its content, sends it to a device with live progress, logs the fetch, backs the device up, removes', async () => {
    tb = await startBench({ files: { maxBytes: 1024 * 1024 } })
    const fleet = await tb.sims({ count: 1, model: 'tr181' })
    const cpe = fleet.cpes[0]!
    api = createApiService(tb.bench, { shell: 'browser', version: 'test' })
    const progress: FileFetchProgress[] = []
    const conn = api.connect((stream, batch) => {
      if (stream === 'files.progress') progress.push(...(batch as FileFetchProgress[]))
    })
    conn.subscribe('files.progress', true)

    const productClass = tb.bench.store.devices.get(cpe.serial)!.productClass
    const image = testImage('3.1.0', productClass, 200_000)
    const added = await call<LibraryFile>('files.add', 'fw-3.1.0.bin', image.toString('base64'))
    expect(added).toMatchObject({ name: 'fw-3.1.0.bin', size: image.length, version: '3.1.0', productClass })
    expect((await call<LibraryFile[]>('files.list')).map((f) => f.name)).toEqual(['fw-3.1.0.bin'])

    const sent = await call<{ status: number }>('files.download', cpe.serial, 'fw-3.1.0.bin')
    expect(sent.status).toBe(1)
    await until(() => tb!.bench.store.devices.get(cpe.serial)!.softwareVersion === '3.1.0')
    await until(() => progress.some((p) => p.state === 'complete'))
    expect(progress.at(-1)).toMatchObject({ name: 'fw-3.1.0.bin', serial: cpe.serial, percent: 100, state: 'complete' })
    const [fetch] = await call<{ serial: string; outcome: string; bytes: number }[]>('files.fetches', 'fw-3.1.0.bin')
    expect(fetch).toMatchObject({ serial: cpe.serial, outcome: 'complete', bytes: image.length })

    const backup = await call<{ commandKey: string; status: number }>('files.backup', cpe.serial)
    expect(backup.status).toBe(1)
    await until(() => tb!.bench.files.uploadedFile(cpe.serial, backup.commandKey) !== undefined)
    expect(tb.bench.files.uploadedFile(cpe.serial, backup.commandKey)).toMatchObject({ ownerSerial: cpe.serial })

    await call('files.remove', 'fw-3.1.0.bin')
    expect((await call<LibraryFile[]>('files.list')).map((f) => f.ownerSerial)).toEqual([cpe.serial])
  })

  it('refuses bad input with the error kinds the UI shows, and changes nothing', async () => {
    tb = await startBench({ files: { maxBytes: 1000 } })
    api = createApiService(tb.bench, { shell: 'browser', version: 'test' })
    const refused = (channel: string, ...args: unknown[]) => call(channel, ...args).catch((e: Error) => e.message)
    expect(await refused('files.add', 'x.bin', 'not base64!')).toMatch(/^BadRequestError: file content must be base64/)
    expect(await refused('files.add', 'x.bin', Buffer.alloc(2000).toString('base64'))).toMatch(
      /^BadRequestError: .*up to 1000 bytes/,
    )
    expect(await refused('files.add', '../x.bin', 'AAAA')).toMatch(/^BadRequestError: .*cannot be a library file name/)
    expect(await refused('files.remove', 'nothing.bin')).toMatch(/^NotFoundError: There is no file "nothing.bin"/)
    expect(await refused('files.download', 'NOBODY', 'x.bin')).toMatch(/^NotFoundError: No device with serial NOBODY/)
    expect(await call('files.list')).toEqual([])
  })
})
