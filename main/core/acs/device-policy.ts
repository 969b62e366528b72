import type { Store } from '../store'

/**
 * What the ACS trusts about one device beyond what the device says of itself. A CPE chooses its
 * ConnectionRequestURL and whether it keeps our cookie; the technician decides what we do with
 * that. Kept on this laptop only (settings table, never synced).
 */
export interface DevicePolicy {
  /** Remote address of the device's last Inform: where its own sessions come from. */
  sessionAddress?: string
  /**
   * Local address its sessions arrive on (the interface facing it): the host of the file
   * server's URLs in its Downloads and Uploads, which it can reach since it reaches the ACS there.
   */
  sessionLocalAddress?: string
  /**
   * A ConnectionRequestURL the technician confirmed, woken even though its host is not
   * `sessionAddress` (a CPE behind NAT, a host name) or it has a query string.
   */
  confirmedCrUrl?: string
  /**
   * The technician allowed HTTP Basic for this device's connection requests (a CPE without
   * Digest): the connection request password then crosses the LAN in clear.
   */
  allowBasicCr?: boolean
  /**
   * The technician allowed matching this CPE's cookie-less messages on new connections by its
   * address (a stack that drops cookies and connections, with no other CPE at its address).
   */
  matchByAddress?: boolean
}

/** What the technician may change (sessionAddress is learned from Informs). */
export type DevicePolicyPatch = Partial<Omit<DevicePolicy, 'sessionAddress' | 'sessionLocalAddress'>>

const KEY = (serial: string) => `acs.device.${serial}`

/**
 * Per-device policies, read on every Inform and wherever the ACS decides what to trust. Kept in
 * memory once committed: a write (the technician's change, an Inform's new address) drops the
 * device's entry, and it is read from the store until that write is committed (`committed`) — an
 * Inform's write may still roll back with its transaction, and a cached address would then outlive
 * it. A change therefore takes effect at the next read. Without `committed` nothing is cached.
 */
export class DevicePolicies {
  private readonly cache = new Map<string, DevicePolicy>()
  /** Serials written in a transaction not yet committed. */
  private readonly dirty = new Set<string>()

  constructor(
    private readonly store: Store,
    private readonly committed?: (fn: () => void) => void,
  ) {}

  get(serial: string): DevicePolicy {
    const cached = this.cache.get(serial)
    if (cached) return { ...cached }
    const policy = this.store.settings.get<DevicePolicy>(KEY(serial), {})
    if (this.committed && !this.dirty.has(serial)) this.cache.set(serial, { ...policy })
    return policy
  }

  /** Applies the technician's choices; `undefined` leaves a field, `false`/'' clears it. */
  set(serial: string, patch: DevicePolicyPatch): DevicePolicy {
    const next: DevicePolicy = { ...this.get(serial) }
    if (patch.confirmedCrUrl !== undefined) next.confirmedCrUrl = patch.confirmedCrUrl || undefined
    if (patch.allowBasicCr !== undefined) next.allowBasicCr = patch.allowBasicCr || undefined
    if (patch.matchByAddress !== undefined) next.matchByAddress = patch.matchByAddress || undefined
    return this.save(serial, next)
  }

  /** Forgets a device's policy (it was removed): a device informing later with its serial starts over. */
  remove(serial: string): void {
    this.store.settings.delete(KEY(serial))
    this.changed(serial)
  }

  /** Called with each Inform (inside its transaction): remembers where the device's sessions come from. */
  noteSessionAddress(serial: string, address: string, localAddress?: string): void {
    const current = this.get(serial)
    const local = localAddress ?? current.sessionLocalAddress
    if (current.sessionAddress !== address || current.sessionLocalAddress !== local)
      this.save(serial, { ...current, sessionAddress: address, sessionLocalAddress: local })
  }

  private save(serial: string, policy: DevicePolicy): DevicePolicy {
    const clean = JSON.parse(JSON.stringify(policy)) as DevicePolicy
    this.store.settings.set(KEY(serial), clean)
    this.changed(serial)
    return clean
  }

  private changed(serial: string): void {
    this.cache.delete(serial)
    if (!this.committed) return
    this.dirty.add(serial)
    this.committed(() => {
      // At once outside a journal transaction; inside a bare store transaction it is not committed yet.
      if (this.store.db.inTransaction) return
      this.dirty.delete(serial)
      this.cache.delete(serial)
    })
  }
}
