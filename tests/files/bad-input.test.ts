import { readdirSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileTooLargeError } from '../../main/core/files'
import { nextEvent, startAcs, until, type TestAcs } from '../acs/helpers'
import { fetchRaw } from './helpers'

let acs: TestAcs | undefined
afterEach(async () => {
  await acs?.close()
  acs = undefined
})

const CAP = 64 * 1024

/** What is on disk in the library folder, temporary files included. */
const onDisk = () => readdirSync(join(acs!.dir, 'files')).sort()

/** Sends a request head and part of a body on a raw connection, then closes it. */
function cutUpload(path: string, declared: number, sent: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(acs!.port, '127.0.0.1', () => {
      socket.write(`PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`)
      socket.write(Buffer.alloc(sent, 1), () => socket.destroy())
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve())
  })
}

describe('bad input to the file library', () => {
  it('refuses a file over the cap, a bad name and an unknown type, and changes nothing', async () => {
    acs = await startAcs({ files: { maxBytes: CAP } })
    const lib = acs.bench.files.library
    await expect(lib.add({ content: Buffer.alloc(CAP + 1), name: 'big.bin' })).rejects.toThrow(FileTooLargeError)
    await expect(lib.add({ content: Buffer.alloc(CAP + 1), name: 'big.bin' })).rejects.toThrow(/up to 65536 bytes/)
    await expect(lib.add({ content: Buffer.from('x'), name: '../escape.bin' })).rejects.toThrow(
      /cannot be a library file name/,
    )
    await expect(lib.add({ content: Buffer.from('x'), name: 'ok.bin' }, { type: 'bogus' })).rejects.toThrow(
      /not a file type/,
    )
    const path = join(acs.dir, 'grows.bin')
    writeFileSync(path, Buffer.alloc(CAP * 2))
    await expect(lib.add({ path })).rejects.toThrow(FileTooLargeError)
    await lib.add({ content: Buffer.from('x'), name: 'ok.bin' })
    await expect(lib.add({ content: Buffer.from('y'), name: 'ok.bin' })).rejects.toThrow(/already a file "ok.bin"/)
    expect(lib.list().map((f) => [f.name, f.size])).toEqual([['ok.bin', 1]])
    expect(onDisk()).toHaveLength(1)
  })

  it('takes one complete upload per Upload URL, within the cap, and keeps nothing of the others', async () => {
    acs = await startAcs({ files: { maxBytes: CAP } })
    const { files } = acs.bench
    const url = files.uploadRequest('SN1', 'config', 'backup-1').url
    const path = new URL(url).pathname

    // Declared over the cap: refused before a byte is read.
    const declared = await fetchRaw(url, { method: 'PUT', body: Buffer.alloc(CAP + 1) })
    expect(declared.status).toBe(413)
    expect(declared.body.toString()).toMatch(/up to 65536 bytes/)
    // Chunked, so the size shows only as it arrives: cut at the cap.
    const chunked = await fetchRaw(url, {
      method: 'POST',
      headers: { 'Transfer-Encoding': 'chunked' },
      body: Buffer.alloc(CAP * 3, 7),
    }).catch((error: NodeJS.ErrnoException) => ({ status: 0, error }))
    expect([413, 0]).toContain(chunked.status)
    // A device that stops halfway.
    const brokeOff = nextEvent(acs.bench, 'event.logged', (e) => /broke off; nothing was stored/.test(e.summary))
    await cutUpload(path, 5000, 1000)
    await brokeOff
    expect(files.library.list()).toEqual([])
    await until(() => onDisk().length === 0)

    // The URL still takes the one good upload …
    const good = await fetchRaw(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from('{"a":1}'),
    })
    expect(good.status).toBe(201)
    const [stored] = files.library.list()
    expect(stored).toMatchObject({ ownerSerial: 'SN1', size: 7, fileType: '3 Vendor Configuration File' })
    expect(files.uploadedFile('SN1', 'backup-1')?.name).toBe(stored!.name)
    // … and only one.
    const again = await fetchRaw(url, { method: 'PUT', body: Buffer.from('{"a":2}') })
    expect(again.status).toBe(410)
    expect(
      (await fetchRaw(url.replace(/upload\/.*/, 'upload/forged-token'), { method: 'PUT', body: Buffer.from('x') }))
        .status,
    ).toBe(404)
    expect(files.library.list()).toHaveLength(1)
    expect(onDisk()).toHaveLength(1)
  })
})
