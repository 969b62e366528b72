import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChunkedAdds } from '../../main/core/files/chunked-add'
import type { LibraryFile } from '../../preload/api'
import { client, start } from '../ui/helpers'
import { fetchRaw, testImage } from './helpers'

// A file added in pieces over the real headless server's WebSocket API (what the Files page
// does), on a real bench: any size up to files.maxBytes, atomic on completion, and a cancelled,
// refused or abandoned add leaves nothing behind.

const CHUNK = 1024 * 1024

/** What is in the library folder besides the library's files: temporaries of adds. */
function leftovers(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, 'files')).filter((n) => n.startsWith('.incoming-'))
  } catch {
    return []
  }
}

describe('adding a library file in pieces over the API', () => {
  it('adds a 20 MB image chunk by chunk; it appears only on completion and is served whole', async () => {
    const { bench, port } = await start()
    const { url } = await bench.acs.listen()
    const api = await client(port)
    const image = testImage('4.2.0', 'BM632w', 20 * 1024 * 1024)
    const begun = await api.call('files.addBegin', 'fw-4.2.0.bin', image.length, { type: 'firmware' })
    expect(begun.ok).toBe(true)
    const { id, maxBytes } = (begun as { value: { id: string; maxBytes: number } }).value
    expect(maxBytes).toBe(bench.config.files.maxBytes)
    for (let offset = 0; offset < image.length; offset += CHUNK) {
      const piece = image.subarray(offset, offset + CHUNK)
      const r = await api.call('files.addChunk', id, offset, piece.toString('base64'))
      expect(r).toEqual({ ok: true, value: { received: offset + piece.length } })
      // Not in the library until the last byte and addEnd.
      if (offset === 0) expect(bench.files.library.get('fw-4.2.0.bin')).toBeUndefined()
    }
    expect(bench.files.library.get('fw-4.2.0.bin')).toBeUndefined()
    const ended = await api.call('files.addEnd', id)
    expect(ended.ok).toBe(true)
    expect((ended as { value: LibraryFile }).value).toMatchObject({
      name: 'fw-4.2.0.bin',
      size: image.length,
      version: '4.2.0',
      productClass: 'BM632w',
      fileType: '1 Firmware Upgrade Image',
    })
    const served = await fetchRaw(new URL('/files/fw-4.2.0.bin', url).href)
    expect(served.status).toBe(200)
    expect(served.body.equals(image)).toBe(true)
    expect(leftovers(bench.config.dataDir)).toEqual([])
    // The add is over: another chunk or end is refused.
    const late = await api.call('files.addChunk', id, image.length, 'AAAA')
    expect(late).toMatchObject({ ok: false, error: { message: expect.stringMatching(/this add is over/) } })
  }, 180_000)

  it('refuses over the cap before any byte, out-of-order and extra bytes, and leaves nothing after a cancel', async () => {
    const { bench, port } = await start()
    const api = await client(port)
    // The cap, as the Settings page saves it: at least 1 MiB.
    expect(await api.call('settings.save', { files: { maxBytes: 1000 } })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/largest library file/) },
    })
    expect(await api.call('settings.save', { files: { maxBytes: 3 * CHUNK } })).toMatchObject({ ok: true })
    expect(bench.config.files.maxBytes).toBe(3 * CHUNK)
    const big = await api.call('files.addBegin', 'big.bin', 3 * CHUNK + 1, { type: 'web' })
    expect(big).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/takes files up to 3145728 bytes \(setting files\.maxBytes\)/) },
    })

    // Cancelled half way: no file, no temporary.
    const a = (await api.call('files.addBegin', 'half.bin', 2 * CHUNK, { type: 'web' })) as { value: { id: string } }
    expect((await api.call('files.addChunk', a.value.id, 0, Buffer.alloc(CHUNK, 1).toString('base64'))).ok).toBe(true)
    expect(leftovers(bench.config.dataDir)).toHaveLength(1)
    expect(await api.call('files.addCancel', a.value.id)).toEqual({ ok: true })
    expect(leftovers(bench.config.dataDir)).toEqual([])
    expect(bench.files.library.get('half.bin')).toBeUndefined()

    // Out of order, then more than declared: refused, and the second ends the add.
    const b = (await api.call('files.addBegin', 'small.bin', 10, { type: 'web' })) as { value: { id: string } }
    const skipped = await api.call('files.addChunk', b.value.id, 4, Buffer.from('abcd').toString('base64'))
    expect(skipped).toMatchObject({ ok: false, error: { message: expect.stringMatching(/send them in order/) } })
    const extra = await api.call('files.addChunk', b.value.id, 0, Buffer.alloc(11).toString('base64'))
    expect(extra).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/more bytes than the 10 declared/) },
    })
    expect(await api.call('files.addEnd', b.value.id)).toMatchObject({ ok: false })
    // Ended short: refused, nothing added.
    const c = (await api.call('files.addBegin', 'short.bin', 10, { type: 'web' })) as { value: { id: string } }
    await api.call('files.addChunk', c.value.id, 0, Buffer.from('abc').toString('base64'))
    expect(await api.call('files.addEnd', c.value.id)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/3 of the 10 declared bytes came: nothing was added/) },
    })
    // A name already in the library, or one being added, is refused at once.
    await bench.files.library.add({ content: Buffer.from('x'), name: 'taken.bin' }, { type: 'web' })
    expect(await api.call('files.addBegin', 'taken.bin', 1, { type: 'web' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/already a file "taken\.bin"/) },
    })
    expect((await api.call('files.list')) as { value: LibraryFile[] }).toMatchObject({ value: [{ name: 'taken.bin' }] })
    await expect.poll(() => leftovers(bench.config.dataDir), { timeout: 10_000 }).toEqual([])
    expect(bench.files.adds.size).toBe(0)
  }, 120_000)

  it('cancels an add left idle (the page closed half way): nothing stays', async () => {
    const { bench } = await start()
    const adds = new ChunkedAdds(bench.files.library, 300)
    const id = adds.begin('abandoned.bin', 2 * CHUNK, { type: 'web' })
    // On a slow machine the idle time may pass while this piece is still being written: then
    // the piece fails too, which is the same outcome.
    await adds.chunk(id, 0, Buffer.alloc(CHUNK, 3)).catch(() => undefined)
    await expect.poll(() => adds.size, { timeout: 30_000 }).toBe(0)
    await expect.poll(() => leftovers(bench.config.dataDir), { timeout: 30_000 }).toEqual([])
    await expect(adds.chunk(id, CHUNK, Buffer.alloc(CHUNK))).rejects.toThrow(/this add is over/)
    expect(bench.files.library.get('abandoned.bin')).toBeUndefined()
  })
})
