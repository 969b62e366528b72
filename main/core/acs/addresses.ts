import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'

/** An IP address as the ACS compares them: no brackets, lower case, IPv4-mapped IPv6 as IPv4. */
export function plainHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h.startsWith('::ffff:') && isIP(h.slice(7)) === 4 ? h.slice(7) : h
}

export function isLoopback(address: string): boolean {
  const a = plainHost(address)
  return a === '::1' || /^127\./.test(a)
}

/** Loopback, or an address of one of this machine's interfaces. */
export function isLocal(address: string): boolean {
  const a = plainHost(address)
  if (isLoopback(a)) return true
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => plainHost(i.address) === a))
}

/** The ACS URLs to give CPEs: one per non-internal IPv4 address when bound to all interfaces, else the bound address. */
export function cwmpUrls(bind: string, port: number, tls: boolean): string[] {
  const scheme = tls ? 'https' : 'http'
  const hosts: string[] = []
  if (bind === '' || bind === '0.0.0.0' || bind === '::') {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) hosts.push(a.address)
    }
    if (hosts.length === 0) hosts.push('127.0.0.1')
  } else {
    hosts.push(bind.includes(':') ? `[${bind}]` : bind)
  }
  return hosts.map((h) => `${scheme}://${h}:${port}/`)
}
