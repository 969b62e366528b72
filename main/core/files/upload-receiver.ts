import { rmSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Journal } from '../journal'
import { end } from './http'
import { FileTooLargeError, type FileLibrary } from './library'
import { FILE_TYPES } from './types'

/** An upload must keep arriving: no byte for this long ends it (nothing is kept). */
const IDLE_MS = 30_000

/**
 * PUT/POST /upload/TOKEN: the one file of one Upload RPC. The URL is good for one complete upload
 * by the device it was made for, before it expires; the body is capped (files.maxBytes) and
 * counted as it arrives, and lands in the library, owned by that device, only when complete.
 * Whatever goes wrong (over the cap, cut off, stalled, a second upload), nothing is stored.
 */
export async function receiveUpload(
  server: { library: FileLibrary; journal: Journal; receiving: Set<string> },
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  peer: { remoteAddress: string },
): Promise<void> {
  const { library, journal } = server
  const slot = library.files.slot(token)
  // Closing the connection: the body the client is sending is not read.
  const refuse = (status: number, why: string) => {
    journal.recordQuietly({
      kind: 'transfer',
      severity: 'warn',
      serial: slot?.serial ?? null,
      summary: `Refused an upload from ${peer.remoteAddress}: ${why}`,
    })
    end(res, status, `${why}\n`, { Connection: 'close' })
  }
  if (!slot || slot.expiresAt < Date.now()) return refuse(404, 'No such upload URL (unknown or expired).')
  if (slot.fileName) return refuse(410, 'This upload URL has been used: each Upload gets its own.')
  if (server.receiving.has(token)) return refuse(409, 'An upload to this URL is already under way.')
  const max = library.maxBytes
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length'])
  if (declared !== undefined && declared > max)
    return refuse(413, `The upload is ${declared} bytes; the library takes files up to ${max} bytes (files.maxBytes).`)

  server.receiving.add(token)
  let timer: NodeJS.Timeout | undefined
  const idle = () => {
    clearTimeout(timer)
    timer = setTimeout(() => req.destroy(new Error(`no data for ${IDLE_MS / 1000} s`)), IDLE_MS)
  }
  idle()
  req.on('data', idle)
  try {
    const incoming = await library.receive(req, max).catch((error: unknown) => {
      if (error instanceof FileTooLargeError)
        throw new FileTooLargeError(
          `The upload is more than ${max} bytes, the most the library takes (files.maxBytes).`,
        )
      throw error
    })
    if (!req.complete || (declared !== undefined && incoming.size !== declared)) {
      rmSync(incoming.tmp, { force: true })
      return refuse(400, `The upload ended after ${incoming.size} of ${declared ?? '?'} bytes.`)
    }
    const isLog = /^(2|4) Vendor Log File/.test(slot.fileType)
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')
    const serialPart = slot.serial.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 64)
    const ext = /json/.test(req.headers['content-type'] ?? '') ? '.json' : isLog ? '.txt' : '.bin'
    const name = `${serialPart}-${isLog ? 'log' : 'config'}-${stamp}-${token.slice(0, 4)}${ext}`
    const file = library.adopt(
      incoming,
      {
        name,
        fileType: isLog ? FILE_TYPES['vendor-log']! : FILE_TYPES.config!,
        version: '',
        productClass: '',
        description: `${isLog ? 'log' : 'configuration backup'} of ${slot.serial}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
        ownerSerial: slot.serial,
        username: '',
        password: '',
      },
      () => {
        if (!library.files.useSlot(token, name)) throw new Error('the upload URL was used meanwhile')
      },
    )
    journal.recordQuietly({
      kind: 'transfer',
      serial: slot.serial,
      summary: `Upload from ${slot.serial} landed in the library as ${file.name} (${file.size} bytes)`,
      detail: { name: file.name, size: file.size, sha256: file.sha256, remoteAddress: peer.remoteAddress },
    })
    end(res, 201, `Stored as ${file.name}.\n`)
  } catch (error) {
    if (error instanceof FileTooLargeError) return refuse(413, error.message)
    // The client went away or stalled: nothing was stored, and it is not there to hear about it.
    if (req.destroyed || !req.complete) {
      journal.recordQuietly({
        kind: 'transfer',
        severity: 'warn',
        serial: slot.serial,
        summary: `An upload from ${slot.serial} (${peer.remoteAddress}) broke off; nothing was stored`,
      })
      return void res.destroy()
    }
    throw error
  } finally {
    clearTimeout(timer)
    server.receiving.delete(token)
  }
}
