import type { TrackedTransfer, TransferTracker } from '../acs'
import type { Db } from '../store'

/** Transfers kept per device: a CPE that never confirms must not make the table grow forever. */
const MAX_PER_DEVICE = 100

/**
 * The ACS's transfers in flight, in SQLite: a CPE repeats its TransferComplete until the ACS
 * acknowledges it, after a reboot and after the ACS restarted too (TR-069 A.3.3.2), and it must
 * still be matched to the Download or Upload (and the script or UI call) it answers.
 */
export class StoredTransfers implements TransferTracker {
  constructor(private readonly db: Db) {}

  track(serial: string, t: TrackedTransfer): void {
    this.db
      .prepare('INSERT INTO acs_transfers (serial, command_key, method, rpc_id, at) VALUES (?, ?, ?, ?, ?)')
      .run(serial, t.commandKey, t.method, t.rpcId, t.at)
    this.db
      .prepare(
        `DELETE FROM acs_transfers WHERE serial = ? AND id NOT IN
           (SELECT id FROM acs_transfers WHERE serial = ? ORDER BY id DESC LIMIT ${MAX_PER_DEVICE})`,
      )
      .run(serial, serial)
  }

  take(serial: string, commandKey: string): TrackedTransfer | undefined {
    const row = this.db
      .prepare('SELECT * FROM acs_transfers WHERE serial = ? AND command_key = ? ORDER BY id LIMIT 1')
      .get(serial, commandKey) as Row | undefined
    if (!row) return undefined
    this.db.prepare('DELETE FROM acs_transfers WHERE id = ?').run(row.id)
    return toTransfer(row)
  }

  pendingFor(serial: string): TrackedTransfer[] {
    return (this.db.prepare('SELECT * FROM acs_transfers WHERE serial = ? ORDER BY id').all(serial) as Row[]).map(
      toTransfer,
    )
  }
}

interface Row {
  id: number
  command_key: string
  method: string
  rpc_id: string
  at: number
}

const toTransfer = (r: Row): TrackedTransfer => ({
  commandKey: r.command_key,
  method: r.method as TrackedTransfer['method'],
  rpcId: r.rpc_id,
  at: r.at,
})
