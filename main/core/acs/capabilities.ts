import type { Store } from '../store'

/** Whether a CPE answers GetParameterValues of a partial path ("X.DeviceInfo."). */
export type PartialPathSupport = 'unknown' | 'yes' | 'no'

/** A request a device's sessions died on twice: not sent again until the technician retries it. */
export interface UnstableMark {
  method: string
  /** The request's arguments in a few words (describeRequest). */
  args: string
  /** Identifies the request (method and arguments): see requestKey. */
  key: string
  reason: string
  since: number
}

/**
 * What the ACS learned about how one CPE behaves, on this laptop only (never synced): the
 * device page and `bench-acs devices --json` show it, reads and offline detection use it.
 */
export interface DeviceCapabilities {
  serial: string
  /** CWMP version of its last Inform (the device record keeps it too). */
  cwmpVersion: string
  partialPaths: PartialPathSupport
  /** Its answer to GetRPCMethods; null when never asked or it faulted (older or minimal stacks). */
  rpcMethods: string[] | null
  /** Whether it sends back our session cookie (TR-069 3.4.1 asks it to). */
  cookies: 'unknown' | 'kept' | 'dropped'
  /** Whether it keeps one TCP connection for a session or opens one per message. */
  connection: 'unknown' | 'kept' | 'per-message'
  /** HTTP authentication its last Inform carried: none, basic or digest. */
  auth: string
  /** Seconds between its last Informs (newest last), for offline detection without an interval. */
  informGaps: number[]
  unstable: UnstableMark | null
}

interface Row {
  serial: string
  partial_paths: string
  rpc_methods: string | null
  cookies: string
  connection: string
  auth: string
  inform_gaps: string
  unstable: string | null
}

/** Gaps between Informs kept per device. */
const GAPS = 8

/** A row as read, parsed once (DeviceCapabilities without the CWMP version, which the device row keeps). */
type Parsed = Omit<DeviceCapabilities, 'serial' | 'cwmpVersion'>

const NONE: Parsed = {
  partialPaths: 'unknown',
  rpcMethods: null,
  cookies: 'unknown',
  connection: 'unknown',
  auth: '',
  informGaps: [],
  unstable: null,
}

/**
 * Owns the device_capabilities table (store migration 3). Read on every Inform and session, so
 * rows are kept parsed in memory once committed (see `committed`); the gaps between Informs live
 * in memory and reach the row only when what offline detection makes of them changes.
 */
export class CapabilityStore {
  private readonly getStmt
  private readonly deleteStmt
  private readonly writeStmts = new Map<string, { run(...params: unknown[]): unknown }>()
  /** Committed rows, parsed. */
  private readonly cache = new Map<string, Parsed>()
  /** Serials written in a transaction not yet committed: read from the database, never cached. */
  private readonly dirty = new Set<string>()
  /** Each device's recent gaps as seen by this process (the row may hold an older sample). */
  private readonly gaps = new Map<string, number[]>()

  /**
   * `committed` runs a callback once the open transaction commits, and drops it if it rolls back
   * (Journal.afterCommit). Without it (the command line) nothing is cached.
   */
  constructor(
    private readonly store: Store,
    private readonly committed?: (fn: () => void) => void,
  ) {
    this.getStmt = store.db.prepare('SELECT * FROM device_capabilities WHERE serial = ?')
    this.deleteStmt = store.db.prepare('DELETE FROM device_capabilities WHERE serial = ?')
  }

  get(serial: string, cwmpVersion = ''): DeviceCapabilities {
    const row = this.row(serial)
    return {
      serial,
      cwmpVersion: cwmpVersion || this.store.devices.get(serial)?.cwmpVersion || '',
      ...row,
      // Copies: the parsed row is shared with the next reader.
      rpcMethods: row.rpcMethods && [...row.rpcMethods],
      informGaps: [...(this.gaps.get(serial) ?? row.informGaps)],
    }
  }

  setPartialPaths(serial: string, support: PartialPathSupport): void {
    this.write(serial, { partial_paths: support })
  }

  setRpcMethods(serial: string, methods: string[]): void {
    this.write(serial, { rpc_methods: JSON.stringify(methods) })
  }

  setTransport(
    serial: string,
    t: { cookies?: DeviceCapabilities['cookies']; connection?: DeviceCapabilities['connection']; auth?: string },
  ): void {
    const patch: Partial<Row> = {}
    if (t.cookies) patch.cookies = t.cookies
    if (t.connection) patch.connection = t.connection
    if (t.auth !== undefined) patch.auth = t.auth
    const current = this.row(serial)
    if (
      (patch.cookies ?? current.cookies) === current.cookies &&
      (patch.connection ?? current.connection) === current.connection &&
      (patch.auth ?? current.auth) === current.auth
    )
      return
    this.write(serial, patch)
  }

  /**
   * An Inform came `gapSeconds` after the one before it. Kept in memory; the row is written only
   * when the offline threshold drawn from the gaps (overdueFromGaps: whether there are two, and the
   * longest) would differ from the row's, so a restart resumes with the same threshold.
   */
  noteInformGap(serial: string, gapSeconds: number): void {
    const stored = this.row(serial).informGaps
    const gaps = [...(this.gaps.get(serial) ?? stored), Math.round(gapSeconds)].slice(-GAPS)
    this.gaps.set(serial, gaps)
    if (Math.min(stored.length, 2) !== Math.min(gaps.length, 2) || Math.max(...stored) !== Math.max(...gaps))
      this.write(serial, { inform_gaps: JSON.stringify(gaps) })
  }

  markUnstable(serial: string, mark: UnstableMark | null): void {
    this.write(serial, { unstable: mark ? JSON.stringify(mark) : null })
  }

  remove(serial: string): void {
    this.deleteStmt.run(serial)
    this.gaps.delete(serial)
    this.changed(serial)
  }

  /** The row, parsed: from memory when committed, else from the database. */
  private row(serial: string): Parsed {
    const cached = this.cache.get(serial)
    if (cached) return cached
    const row = this.getStmt.get(serial) as Row | undefined
    const parsed: Parsed = row
      ? {
          partialPaths: row.partial_paths as PartialPathSupport,
          rpcMethods: row.rpc_methods ? (JSON.parse(row.rpc_methods) as string[]) : null,
          cookies: row.cookies as DeviceCapabilities['cookies'],
          connection: row.connection as DeviceCapabilities['connection'],
          auth: row.auth,
          informGaps: JSON.parse(row.inform_gaps) as number[],
          unstable: row.unstable ? (JSON.parse(row.unstable) as UnstableMark) : null,
        }
      : NONE
    if (this.committed && !this.dirty.has(serial)) this.cache.set(serial, parsed)
    return parsed
  }

  /** The row changed: read it from the database until the change is committed (or for good, if it rolls back). */
  private changed(serial: string): void {
    this.cache.delete(serial)
    if (!this.committed) return
    this.dirty.add(serial)
    this.committed(() => {
      // Run at once outside a journal transaction: inside a bare store transaction, the change is
      // not committed yet and the row stays uncached.
      if (this.store.db.inTransaction) return
      this.dirty.delete(serial)
      this.cache.delete(serial)
    })
  }

  private write(serial: string, patch: Partial<Row>): void {
    const cols = Object.keys(patch) as (keyof Row)[]
    const key = cols.join(',')
    let stmt = this.writeStmts.get(key)
    if (!stmt) {
      stmt = this.store.db.prepare(
        `INSERT INTO device_capabilities (serial, ${cols.join(', ')}, updated_at) VALUES (?, ${cols.map(() => '?').join(', ')}, ?)
         ON CONFLICT(serial) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`,
      )
      this.writeStmts.set(key, stmt)
    }
    stmt.run(serial, ...cols.map((c) => patch[c] ?? null), Date.now())
    this.changed(serial)
  }
}

/**
 * How long after its last Inform a device with no known PeriodicInformInterval counts as gone:
 * twice the longest recent gap between its Informs, plus the same slack as for a known interval.
 * Undefined until two gaps were seen (one gap may be a reboot right after a first Inform).
 */
export function overdueFromGaps(gaps: number[], graceMs: number): number | undefined {
  if (gaps.length < 2) return undefined
  const longest = Math.max(...gaps)
  return longest > 0 ? 2 * longest * 1000 + graceMs : undefined
}
