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
