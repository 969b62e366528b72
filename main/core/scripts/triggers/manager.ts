import type { BenchEvents } from '../../events'
import { ulid } from '../../ids'
import type { Journal } from '../../journal'
import type { Store } from '../../store'
import { ScriptInputError } from '../errors'
import type { ScriptStore } from '../library/store'
import type { TriggerInput, TriggerRecord } from '../types'
import { checkTrigger, type TriggerEngine } from './engine'
import type { TriggerStore } from './store'

/** Triggers one script may have. */
export const MAX_TRIGGERS_PER_SCRIPT = 100

/** How often one trigger may write the same kind of warning to the event log, ms. */
const TRIGGER_WARN_EVERY_MS = 60_000

export interface TriggerManagerDeps {
  store: Store
  scripts: ScriptStore
  triggers: TriggerStore
  engine: TriggerEngine
  events: BenchEvents
  journal: Journal
}

/**
 * The library's triggers as the user edits them: checked, stored, announced (trigger.changed),
 * and handed to the engine that fires them. ScriptService exposes these methods.
 */
export class TriggerManager {
  private readonly warnedAt = new Map<string, number>()

  constructor(private readonly d: TriggerManagerDeps) {}

  list(scriptId?: string): TriggerRecord[] {
    return this.d.triggers.list(scriptId).map((t) => ({ ...t, nextAt: this.d.engine.next(t.id) }))
  }

  create(scriptId: string, input: TriggerInput): TriggerRecord {
    if (!this.d.scripts.get(scriptId)) throw new ScriptInputError(`no script with id ${scriptId}`)
    const now = Date.now()
    const t: TriggerRecord = {
      id: ulid(now),
      scriptId,
      ...checkTrigger(input),
      createdAt: now,
      updatedAt: now,
      lastFiredAt: null,
    }
    this.d.triggers.upsert(t)
    return this.changed(t)
  }

  update(id: string, patch: Partial<TriggerInput>): TriggerRecord {
    const base = this.d.triggers.get(id)
    if (!base) throw new ScriptInputError(`no trigger with id ${id}`)
    const t: TriggerRecord = {
      ...base,
      ...checkTrigger({ ...patch, kind: patch.kind ?? base.kind }, base),
      updatedAt: Date.now(),
    }
    this.d.triggers.upsert(t)
    return this.changed(t)
  }

  /** See ScriptService.setTriggers. */
  set(scriptId: string, wanted: { id?: string; input: TriggerInput }[]): TriggerRecord[] {
    if (!this.d.scripts.get(scriptId)) throw new ScriptInputError(`no script with id ${scriptId}`)
    if (wanted.length > MAX_TRIGGERS_PER_SCRIPT)
      throw new ScriptInputError(`a script has at most ${MAX_TRIGGERS_PER_SCRIPT} triggers`)
    const current = new Map(this.d.triggers.list(scriptId).map((t) => [t.id, t]))
    const now = Date.now()
    const next: TriggerRecord[] = wanted.map(({ id, input }) => {
      const base = id ? current.get(id) : undefined
      const { id: _drop, ...clean } = input as TriggerInput & { id?: string }
      return base
        ? { ...base, ...checkTrigger({ ...clean, kind: clean.kind ?? base.kind }, base), updatedAt: now }
        : { id: ulid(now), scriptId, ...checkTrigger(clean), createdAt: now, updatedAt: now, lastFiredAt: null }
    })
    const keep = new Set(next.map((t) => t.id))
    const removed = [...current.keys()].filter((id) => !keep.has(id))
    this.d.store.transaction(() => {
      for (const t of next) this.d.triggers.upsert(t)
      for (const id of removed) this.d.triggers.remove(id)
    })
    this.d.engine.reload()
    for (const id of [...keep, ...removed]) this.d.events.emit('trigger.changed', { scriptId, triggerId: id })
    return this.list(scriptId)
  }

  remove(id: string): boolean {
    const t = this.d.triggers.get(id)
    if (!t || !this.d.triggers.remove(id)) return false
    this.d.engine.reload()
    this.d.events.emit('trigger.changed', { scriptId: t.scriptId, triggerId: id })
    return true
  }

  /** A trigger's problem in the event log, at most once a minute per trigger. */
  warn(t: TriggerRecord, message: string): void {
    const now = Date.now()
    if (now - (this.warnedAt.get(t.id) ?? 0) < TRIGGER_WARN_EVERY_MS) return
    this.warnedAt.set(t.id, now)
    const script = this.d.scripts.get(t.scriptId)
    this.d.journal.recordQuietly({
      kind: 'script',
      severity: 'warn',
      summary: `Trigger of "${script?.name ?? t.scriptId}" ${message}`,
      detail: { triggerId: t.id },
    })
  }

  private changed(t: TriggerRecord): TriggerRecord {
    this.d.engine.reload()
    this.d.events.emit('trigger.changed', { scriptId: t.scriptId, triggerId: t.id })
    return { ...t, nextAt: this.d.engine.next(t.id) }
  }
}
