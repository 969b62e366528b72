import type { Db } from '../../store'
import type { RunTarget, TriggerRecord } from '../types'

interface TriggerRow {
  id: string
  script_id: string
  kind: 'event' | 'schedule'
  enabled: number
  events: string
  device_filter: string
  every_seconds: number | null
  cron: string | null
  target: string
  created_at: number
  updated_at: number
  last_fired_at: number | null
}

/** Event and schedule triggers; the checks on their fields live in triggers.ts (the engine). */
export class TriggerStore {
  constructor(private readonly db: Db) {}

  list(scriptId?: string): TriggerRecord[] {
    const rows = scriptId
      ? this.db.prepare<[string], TriggerRow>('SELECT * FROM triggers WHERE script_id = ? ORDER BY id').all(scriptId)
      : this.db.prepare<[], TriggerRow>('SELECT * FROM triggers ORDER BY id').all()
    return rows.map(toRecord)
  }

  get(id: string): TriggerRecord | undefined {
    const row = this.db.prepare<[string], TriggerRow>('SELECT * FROM triggers WHERE id = ?').get(id)
    return row ? toRecord(row) : undefined
  }

  upsert(t: TriggerRecord): void {
    this.db
      .prepare(
        `INSERT INTO triggers (id, script_id, kind, enabled, events, device_filter, every_seconds, cron, target,
           created_at, updated_at, last_fired_at)
         VALUES (@id, @script_id, @kind, @enabled, @events, @device_filter, @every_seconds, @cron, @target,
           @created_at, @updated_at, @last_fired_at)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, enabled = excluded.enabled, events = excluded.events,
           device_filter = excluded.device_filter, every_seconds = excluded.every_seconds, cron = excluded.cron,
           target = excluded.target, updated_at = excluded.updated_at`,
      )
      .run(toRow(t))
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM triggers WHERE id = ?').run(id).changes > 0
  }

  markFired(id: string, at: number): void {
    this.db.prepare('UPDATE triggers SET last_fired_at = ? WHERE id = ?').run(at, id)
  }
}

function toRow(t: TriggerRecord) {
  return {
    id: t.id,
    script_id: t.scriptId,
    kind: t.kind,
    enabled: t.enabled ? 1 : 0,
    events: JSON.stringify(t.events),
    device_filter: t.deviceFilter,
    every_seconds: t.everySeconds,
    cron: t.cron,
    target: JSON.stringify(t.target),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    last_fired_at: t.lastFiredAt,
  }
}

function toRecord(r: TriggerRow): TriggerRecord {
  let events: string[] = []
  let target: RunTarget = { kind: 'none' }
  try {
    events = JSON.parse(r.events) as string[]
  } catch {
    // keep the default
  }
  try {
    target = JSON.parse(r.target) as RunTarget
  } catch {
    // keep the default
  }
  return {
    id: r.id,
    scriptId: r.script_id,
    enabled: r.enabled === 1,
    kind: r.kind,
    events,
    deviceFilter: r.device_filter,
    everySeconds: r.every_seconds,
    cron: r.cron,
    target,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastFiredAt: r.last_fired_at,
  }
}
