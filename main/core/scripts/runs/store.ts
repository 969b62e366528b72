import { ulid } from '../../ids'
import type { Db } from '../../store'
import type { OutboxStore } from '../../store/outbox'
import type { ScriptLimits } from '../../lua/limits'
import type { HostCallRecord, RunOutputLine, RunQuery, RunRecord, RunStatus, RunTrigger } from '../types'

interface RunRow {
  id: string
  owner: string | null
  script_id: string | null
  script_name: string
  script_version: number | null
  batch_id: string | null
  targets: string
  serial: string | null
  trigger: string
  status: RunStatus
  limits: string
  queued_at: number
  started_at: number | null
  ended_at: number | null
  output_bytes: number
  result: string | null
  error: string | null
  host_calls: number
  calls: string
  env: string | null
}

interface OutputRow {
  run_id: string
  seq: number
  ts: number
  stream: RunOutputLine['stream']
  level: RunOutputLine['level'] | null
  text: string
}

const ACTIVE: RunStatus[] = ['queued', 'running']

/** A run a process left queued or running, and that process ("pid:instance"; null before migration 11). */
export interface ActiveRun {
  run: RunRecord
  owner: string | null
}

/**
 * Runs and their output. Every write of a run row appends its "run" record to the sync outbox in
 * the same transaction, so central servers see each run start and finish exactly once.
 */
export class RunStore {
  private readonly insertRun
  private readonly updateRun
  private readonly insertOutput
  private readonly updateOutputBytes
  private readonly byId

  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
    /** This process's runs are recorded as its own ("pid:instance"). */
    readonly owner: string = `${process.pid}:${ulid()}`,
  ) {
    this.insertRun = db.prepare(`
      INSERT INTO runs (id, script_id, script_name, script_version, batch_id, targets, serial, trigger, status,
        limits, queued_at, started_at, ended_at, output_bytes, result, error, host_calls, calls, owner, env)
      VALUES (@id, @script_id, @script_name, @script_version, @batch_id, @targets, @serial, @trigger, @status,
        @limits, @queued_at, @started_at, @ended_at, @output_bytes, @result, @error, @host_calls, @calls, @owner, @env)`)
    this.updateRun = db.prepare(`
      UPDATE runs SET status = @status, started_at = @started_at, ended_at = @ended_at, output_bytes = @output_bytes,
        result = @result, error = @error, host_calls = @host_calls, calls = @calls WHERE id = @id`)
    this.insertOutput = db.prepare(
      'INSERT INTO run_output (run_id, seq, ts, stream, level, text) VALUES (@runId, @seq, @ts, @stream, @level, @text)',
    )
    this.updateOutputBytes = db.prepare('UPDATE runs SET output_bytes = ? WHERE id = ?')
    this.byId = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?')
  }

  insert(run: RunRecord): void {
    this.db.transaction(() => {
      this.insertRun.run({ ...toRow(run), owner: this.owner })
      this.outbox.append('run', run.id, syncedRun(run), run.queuedAt)
    })()
  }

  /** Saves the run's state (started, finished); a finished run's record carries its output. */
  update(run: RunRecord, now = Date.now()): void {
    this.db.transaction(() => {
      this.updateRun.run(toRow(run))
      const done = !ACTIVE.includes(run.status)
      this.outbox.append('run', run.id, syncedRun(run, done ? this.outputText(run.id) : undefined), now)
    })()
  }

  /** Runs fn in one transaction; the writes above called inside it join it. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  /** Output lines, written as they arrive so a crash keeps what the run printed so far. */
  appendOutput(lines: RunOutputLine[], run?: { id: string; outputBytes: number }): void {
    if (lines.length === 0) return
    this.db.transaction(() => {
      for (const l of lines) this.insertOutput.run({ ...l, level: l.level ?? null })
      if (run) this.setOutputBytes(run.id, run.outputBytes)
    })()
  }

  /** The bytes of output a run keeps, on its row while it runs. */
  setOutputBytes(runId: string, bytes: number): void {
    this.updateOutputBytes.run(bytes, runId)
  }

  /**
   * Drops a run's oldest output lines until at least `bytes` are gone (never its newest line),
   * and puts a system line made by `marker` in their place, with the last dropped line's seq so
   * the output still reads in order. `markerSeq` is the previous such line: it goes too, and is
   * not counted as a line of the script's. Returns what went and the new line.
   */
  dropOldestOutput(
    runId: string,
    bytes: number,
    markerSeq: number | undefined,
    marker: (lines: number, bytes: number) => string,
  ): { seq: number; lines: number; bytes: number; removedBytes: number; markerBytes: number } | undefined {
    const oldest = this.db.prepare<[string, string], { seq: number; ts: number; bytes: number }>(
      `SELECT seq, ts, length(CAST(text AS BLOB)) + 1 AS bytes FROM run_output
       WHERE run_id = ? AND seq < (SELECT max(seq) FROM run_output WHERE run_id = ?) ORDER BY seq`,
    )
    let removedBytes = 0
    let lines = 0
    let scriptBytes = 0
    let last: { seq: number; ts: number } | undefined
    for (const row of oldest.iterate(runId, runId)) {
      removedBytes += row.bytes
      if (row.seq !== markerSeq) {
        lines++
        scriptBytes += row.bytes
      }
      last = row
      if (removedBytes >= bytes) break
    }
    if (!last) return undefined
    const text = marker(lines, scriptBytes)
    this.db.prepare('DELETE FROM run_output WHERE run_id = ? AND seq <= ?').run(runId, last.seq)
    this.insertOutput.run({ runId, seq: last.seq, ts: last.ts, stream: 'system', level: null, text })
    return { seq: last.seq, lines, bytes: scriptBytes, removedBytes, markerBytes: Buffer.byteLength(text) + 1 }
  }

  get(id: string): RunRecord | undefined {
    const row = this.byId.get(id)
    return row ? toRecord(row) : undefined
  }

  list(q: RunQuery = {}): RunRecord[] {
    const where: string[] = []
    const args: unknown[] = []
    if (q.scriptId) {
      where.push('script_id = ?')
      args.push(q.scriptId)
    }
    if (q.serial) {
      where.push('(serial = ? OR (serial IS NULL AND EXISTS (SELECT 1 FROM json_each(targets) WHERE value = ?)))')
      args.push(q.serial, q.serial)
    }
    if (q.status && q.status.length > 0) {
      where.push(`status IN (${q.status.map(() => '?').join(', ')})`)
      args.push(...q.status)
    }
    if (q.before) {
      where.push('id < ?')
      args.push(q.before)
    }
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000)
    const sql = `SELECT * FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
    return (this.db.prepare(sql).all(...args, limit) as RunRow[]).map(toRecord)
  }

  /** Output lines after a sequence number, oldest first. */
  output(runId: string, afterSeq = 0, limit = 10_000): RunOutputLine[] {
    return this.db
      .prepare<[string, number, number], OutputRow>(
        'SELECT * FROM run_output WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(runId, afterSeq, Math.min(Math.max(limit, 1), 100_000))
      .map((r) => ({
        runId: r.run_id,
        seq: r.seq,
        ts: r.ts,
        stream: r.stream,
        ...(r.level ? { level: r.level } : {}),
        text: r.text,
      }))
  }

  /** The run's output as one text, log lines marked with their level. */
  outputText(runId: string): string {
    return this.output(runId, 0, 100_000)
      .map((l) => (l.stream === 'log' ? `[${l.level ?? 'info'}] ${l.text}` : l.text))
      .join('\n')
  }

  /** Runs recorded as queued or running, with the process that runs them. */
  active(): ActiveRun[] {
    return (this.db.prepare("SELECT * FROM runs WHERE status IN ('queued', 'running')").all() as RunRow[]).map(
      (row) => ({ run: toRecord(row), owner: row.owner }),
    )
  }

  /** This process's heartbeat: it runs scripts on this database and is alive. */
  beat(now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO script_hosts (owner, pid, started_at, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (owner) DO UPDATE SET seen_at = excluded.seen_at`,
      )
      .run(this.owner, process.pid, now, now)
  }

  /** This process stops running scripts (a clean shutdown); hosts long silent go too. */
  leave(staleBefore: number): void {
    this.db.prepare('DELETE FROM script_hosts WHERE owner = ? OR seen_at < ?').run(this.owner, staleBefore)
  }

  /** Other processes that beat since `since`: owner → pid. */
  hosts(since: number): Map<string, number> {
    const rows = this.db
      .prepare<[string, number], { owner: string; pid: number }>(
        'SELECT owner, pid FROM script_hosts WHERE owner <> ? AND seen_at >= ?',
      )
      .all(this.owner, since)
    return new Map(rows.map((r) => [r.owner, r.pid]))
  }

  /** Deletes the oldest finished runs beyond `keep`, with their output. */
  prune(keep: number): number {
    return this.db
      .prepare(
        `DELETE FROM runs WHERE status NOT IN ('queued', 'running') AND id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)`,
      )
      .run(keep).changes
  }
}

/** What leaves the laptop for a run: the Mongo sink keys runs by id and indexes serial + startedAt. */
export function syncedRun(run: RunRecord, output?: string): Record<string, unknown> {
  const { limits: _limits, calls: _calls, waiting: _waiting, ...rest } = run
  return {
    ...rest,
    serial: run.targets.length === 1 ? run.targets[0] : null,
    ...(output !== undefined ? { output } : {}),
  }
}

function toRow(run: RunRecord) {
  return {
    id: run.id,
    script_id: run.scriptId,
    script_name: run.scriptName,
    script_version: run.scriptVersion,
    batch_id: run.batchId,
    targets: JSON.stringify(run.targets),
    serial: run.targets.length === 1 ? run.targets[0]! : null,
    trigger: JSON.stringify(run.trigger),
    status: run.status,
    limits: JSON.stringify(run.limits),
    queued_at: run.queuedAt,
    started_at: run.startedAt,
    ended_at: run.endedAt,
    output_bytes: run.outputBytes,
    result: run.result === null ? null : JSON.stringify(run.result),
    error: run.error === null ? null : JSON.stringify(run.error),
    host_calls: run.hostCalls,
    calls: JSON.stringify(run.calls),
    env: run.env ?? null,
  }
}

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

function toRecord(r: RunRow): RunRecord {
  return {
    id: r.id,
    scriptId: r.script_id,
    scriptName: r.script_name,
    scriptVersion: r.script_version,
    batchId: r.batch_id,
    targets: parse<string[]>(r.targets, []),
    trigger: parse<RunTrigger>(r.trigger, { kind: 'manual' }),
    status: r.status,
    limits: parse<ScriptLimits>(r.limits, {} as ScriptLimits),
    queuedAt: r.queued_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    outputBytes: r.output_bytes,
    result: parse(r.result, null),
    error: parse(r.error, null),
    hostCalls: r.host_calls,
    calls: parse<HostCallRecord[]>(r.calls, []),
    ...(r.env !== null && r.env !== undefined ? { env: r.env } : {}),
  }
}
