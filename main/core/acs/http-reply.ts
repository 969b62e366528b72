import type { ServerResponse } from 'node:http'
import type { Reply } from './engine'

export const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' }

/** A request we answered before reading its body is drained up to this many bytes, then cut off. */
export const DRAIN_CAP = 64 * 1024 * 1024

/** Writes a reply, unless one was already sent or the connection is gone. */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return
  res.statusCode = reply.status
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value)
  if (reply.status === 204 || reply.body === undefined) {
    res.end()
    return
  }
  res.setHeader('Content-Length', Buffer.byteLength(reply.body))
  res.end(reply.body)
}

/** A peer's address as the ACS logs it: IPv4-mapped IPv6 as IPv4, "unknown" when gone. */
export function plainAddress(address: string | undefined): string {
  if (!address) return 'unknown'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}
