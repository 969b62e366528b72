import { ulid } from '../ids'
import type { Db } from '../store/db'
import { parseProfileFile, profileFile, type ProfileFileFormat } from './file'
import type { OutboxStore } from '../store/outbox'
import type { ProfileDefinition, ProfileRecord, ProfileRun, ProvisioningState } from './types'

interface ProfileRow {
  id: string
  name: string
  enabled: number
  version: number
  definition: string
  created_at: number
  updated_at: number
}

interface RunRow {
  id: string
  profile_id: string | null
  profile_name: string
  profile_version: number
  serial: string
  trigger: string
  status: ProfileRun['status']
  started_at: number
  ended_at: number | null
  steps: string
}

function toProfile(r: ProfileRow): ProfileRecord {
  const d = JSON.parse(r.definition) as ProfileDefinition
  return {
    ...d,
    enabled: r.enabled === 1,
    id: r.id,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function toRun(r: RunRow): ProfileRun {
  return {
    id: r.id,
    profileId: r.profile_id,
    profileName: r.profile_name,
    profileVersion: r.profile_version,
    serial: r.serial,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    steps: JSON.parse(r.steps) as ProfileRun['steps'],
  }
}

/**
 * The profile tables. Every write of a run appends its "provisioning" record to the sync outbox
 * in the same transaction (docs/sync.md), as script runs do.
 */
export class ProfileStore {
  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
  ) {}

  list(): ProfileRecord[] {
    return this.db.prepare<[], ProfileRow>('SELECT * FROM profiles ORDER BY name').all().map(toProfile)
  }

  get(idOrName: string): ProfileRecord | undefined {
    const r = this.db
      .prepare<[string, string], ProfileRow>('SELECT * FROM profiles WHERE id = ? OR name = ?')
      .get(idOrName, idOrName)
    return r && toProfile(r)
  }

  /** Inserts or, when one of that name exists, saves a new version of it. */
  save(id: string, definition: ProfileDefinition, now: number): ProfileRecord {
    return this.db.transaction(() => {
      const old = this.get(definition.name) ?? this.get(id)
      const version = (old?.version ?? 0) + 1
      const json = JSON.stringify(definition)
      const pid = old?.id ?? id
      if (old)
        this.db
          .prepare(
            'UPDATE profiles SET name = ?, enabled = ?, version = ?, definition = ?, updated_at = ? WHERE id = ?',
          )
          .run(definition.name, definition.enabled ? 1 : 0, version, json, now, pid)
      else
        this.db
          .prepare(
            'INSERT INTO profiles (id, name, enabled, version, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(pid, definition.name, definition.enabled ? 1 : 0, version, json, now, now)
      this.db
        .prepare('INSERT INTO profile_versions (profile_id, version, definition, saved_at) VALUES (?, ?, ?, ?)')
        .run(pid, version, json, now)
      return this.get(pid)!
    })()
  }

  /** Imports a shared file: every profile is checked before any is saved, then all in one transaction. */
  importFile(content: string, fileName?: string, now = Date.now(), format?: ProfileFileFormat): ProfileRecord[] {
    const list = parseProfileFile(content, fileName, format)
    return this.db.transaction(() => list.map((p) => this.save(ulid(), p, now)))()
  }

  /** The file importFile reads, of these profiles. */
  exportFile(profiles: ProfileRecord[], format: ProfileFileFormat = 'json'): string {
    return profileFile(profiles, format)
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM profiles WHERE id = ?').run(id).changes > 0
  }

  versions(id: string): { version: number; definition: ProfileDefinition; savedAt: number }[] {
    return this.db
      .prepare<[string], { version: number; definition: string; saved_at: number }>(
        'SELECT version, definition, saved_at FROM profile_versions WHERE profile_id = ? ORDER BY version DESC',
      )
      .all(id)
      .map((r) => ({
        version: r.version,
        definition: JSON.parse(r.definition) as ProfileDefinition,
        savedAt: r.saved_at,
      }))
  }

  /** Writes a run (new or changed) and its outbox record, in one transaction. */
  writeRun(run: ProfileRun, now = Date.now()): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO profile_runs (id, profile_id, profile_name, profile_version, serial, trigger, status, started_at, ended_at, steps)
           VALUES (@id, @profileId, @profileName, @profileVersion, @serial, @trigger, @status, @startedAt, @endedAt, @steps)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, steps = excluded.steps`,
        )
        .run({ ...run, steps: JSON.stringify(run.steps) })
      this.outbox.append('provisioning', run.serial, run, now)
    })()
  }

  /** Runs, newest first: of a device, of a profile, or all. */
  runs(q: { serial?: string; profileId?: string; limit?: number } = {}): ProfileRun[] {
    const where: string[] = []
    const args: (string | number)[] = []
    if (q.serial !== undefined) {
      where.push('serial = ?')
      args.push(q.serial)
    }
    if (q.profileId !== undefined) {
      where.push('profile_id = ?')
      args.push(q.profileId)
    }
    args.push(Math.min(Math.max(q.limit ?? 100, 1), 10_000))
    return this.db
      .prepare<(string | number)[], RunRow>(
        `SELECT * FROM profile_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
      .all(...args)
      .map(toRun)
  }

  /** Each device's latest run's state: the device list's provisioning column. */
  states(): Record<string, ProvisioningState> {
    const rows = this.db
      .prepare<[], { serial: string; status: ProfileRun['status'] }>(
        `SELECT serial, status FROM profile_runs r WHERE id = (
           SELECT id FROM profile_runs WHERE serial = r.serial ORDER BY started_at DESC, id DESC LIMIT 1)`,
      )
      .all()
    const out: Record<string, ProvisioningState> = {}
    for (const r of rows) out[r.serial] = r.status === 'running' ? 'pending' : r.status
    return out
  }

  /** Runs left "running" by a process that stopped: they failed (nothing is still doing them). */
  failInterrupted(now: number): number {
    const open = this.db.prepare<[], RunRow>("SELECT * FROM profile_runs WHERE status = 'running'").all().map(toRun)
    for (const run of open) {
      for (const s of run.steps) if (s.outcome === 'not-run' && !s.detail) s.detail = 'the app stopped before this step'
      this.writeRun({ ...run, status: 'failed', endedAt: now }, now)
    }
    return open.length
  }

  mark(serial: string, mark: string): string | undefined {
    return this.db
      .prepare<[string, string], { value: string }>('SELECT value FROM profile_marks WHERE serial = ? AND mark = ?')
      .get(serial, mark)?.value
  }

  setMark(serial: string, mark: string, value: string, now: number): void {
    this.db
      .prepare(
        'INSERT INTO profile_marks (serial, mark, value, at) VALUES (?, ?, ?, ?) ON CONFLICT (serial, mark) DO UPDATE SET value = excluded.value, at = excluded.at',
      )
      .run(serial, mark, value, now)
  }
}
