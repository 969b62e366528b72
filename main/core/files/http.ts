import type { ServerResponse } from 'node:http'

/** A short plain-text answer (errors, refusals); nothing if an answer is already under way. */
export function end(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  })
  res.end(body)
}
