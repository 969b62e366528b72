import { isLoopback } from './addresses'

export interface AdmissionLimits {
  /** Bodies being received at once from requests that belong to no session (Informs, strangers). */
  maxPendingBodies: number
  /** Bytes held by all request bodies being received or handled, together. */
  maxBufferedBytes: number
}

/**
 * Bodies being received at once from one address outside any session. A CPE sends one message at a
 * time; this leaves room for a few CPEs behind one NAT while one LAN host cannot take every slot.
 * Loopback (simulated fleets on this machine) is not limited by address.
 */
export const MAX_PENDING_PER_ADDRESS = 16

/** A request's share of the body budget; `release` once its body is no longer held. */
export interface BodyTicket {
  /** Takes `bytes` more; false when that would pass the total (the request is then refused). */
  reserve(bytes: number): boolean
  release(): void
}

/**
 * Caps what request bodies may hold across all requests, so that uploads which stall or simply
 * arrive together cannot fill the laptop's memory: beyond the caps a request is refused (503
 * with Retry-After), and the CPE tries again as it does after any failed session (TR-069 3.2.1.1).
 */
export class BodyBudget {
  private pending = 0
  private readonly byAddress = new Map<string, number>()
  private bytes = 0

  constructor(private readonly limits: () => AdmissionLimits) {}

  /** What request bodies hold right now (for diagnostics and tests). */
  load(): { pendingBodies: number; bufferedBytes: number } {
    return { pendingBodies: this.pending, bufferedBytes: this.bytes }
  }

  /**
   * A ticket for one request, or undefined when too many bodies from outside any session are
   * being received already (`inSession`: the request belongs to an open session).
   */
  admit(remoteAddress: string, inSession: boolean): BodyTicket | undefined {
    const counted = !inSession
    const limited = counted && !isLoopback(remoteAddress)
    if (counted && this.pending >= this.limits().maxPendingBodies) return undefined
    if (limited && (this.byAddress.get(remoteAddress) ?? 0) >= MAX_PENDING_PER_ADDRESS) return undefined
    if (counted) this.pending++
    if (limited) this.byAddress.set(remoteAddress, (this.byAddress.get(remoteAddress) ?? 0) + 1)
    let held = 0
    let released = false
    return {
      reserve: (n) => {
        if (released) return true
        if (this.bytes + n > this.limits().maxBufferedBytes) return false
        this.bytes += n
        held += n
        return true
      },
      release: () => {
        if (released) return
        released = true
        this.bytes -= held
        if (counted) this.pending--
        if (limited) {
          const left = (this.byAddress.get(remoteAddress) ?? 1) - 1
          if (left > 0) this.byAddress.set(remoteAddress, left)
          else this.byAddress.delete(remoteAddress)
        }
      },
    }
  }
}
