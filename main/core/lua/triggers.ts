import { CronExpressionParser } from 'cron-parser'
import type { BenchEvents } from '../events'
import { eventMatches } from './host/cwmp-events'
import { ScriptInputError } from './store/scripts'
import type { TriggerStore } from './store/triggers'
import type { RunTarget, TriggerInput, TriggerRecord } from './types'

/** Runs of one event trigger active at once; further firings are skipped (and logged) until one ends. */
export const MAX_ACTIVE_PER_TRIGGER = 20
const MIN_EVERY_SECONDS = 5
const MAX_TIMER_MS = 2 ** 31 - 1

/** Checks a trigger from the UI or the API and fills in defaults. */
export function checkTrigger(
  input: TriggerInput,
  base?: TriggerRecord,
): Omit<TriggerRecord, 'id' | 'scriptId' | 'createdAt' | 'updatedAt' | 'lastFiredAt'> {
  if (!input || typeof input !== 'object') throw new ScriptInputError('a trigger is an object with a kind')
  const kind = input.kind ?? base?.kind
  if (kind !== 'event' && kind !== 'schedule') throw new ScriptInputError('a trigger\'s kind is "event" or "schedule"')
  const enabled = input.enabled ?? base?.enabled ?? true
  if (typeof enabled !== 'boolean') throw new ScriptInputError('enabled is true or false')
  const events = input.events ?? (kind === base?.kind ? base.events : [])
  if (
    !Array.isArray(events) ||
    events.length > 50 ||
    !events.every((e) => typeof e === 'string' && e.trim() !== '' && e.length <= 64)
  )
    throw new ScriptInputError('events is a list of CWMP event codes, e.g. ["1", "2 PERIODIC", "M Reboot"]')
  const deviceFilter = input.deviceFilter ?? (kind === base?.kind ? base.deviceFilter : '')
  if (typeof deviceFilter !== 'string' || deviceFilter.length > 4000)
    throw new ScriptInputError('deviceFilter is text: serials or patterns such as HUAW*, separated by commas')
  const target = checkTarget(input.target ?? (kind === base?.kind ? base.target : { kind: 'none' }))
  if (kind === 'event') {
    return {
      kind,
      enabled,
      events: events.map((e) => e.trim()),
      deviceFilter: deviceFilter.trim(),
      everySeconds: null,
      cron: null,
      target: { kind: 'none' },
    }
  }
  const everySeconds =
    input.everySeconds !== undefined ? input.everySeconds : kind === base?.kind ? base.everySeconds : null
  const cron = input.cron !== undefined ? input.cron : kind === base?.kind ? base.cron : null
  const hasEvery = everySeconds !== null && everySeconds !== undefined
  const hasCron = cron !== null && cron !== undefined && cron.trim() !== ''
  if (hasEvery === hasCron) throw new ScriptInputError('a schedule has either everySeconds or cron (one of them)')
  if (hasEvery && (!Number.isInteger(everySeconds) || everySeconds < MIN_EVERY_SECONDS || everySeconds > 366 * 86_400))
    throw new ScriptInputError(`everySeconds is a whole number of seconds, at least ${MIN_EVERY_SECONDS}`)
  if (hasCron) {
    try {
      CronExpressionParser.parse(cron.trim())
    } catch (error) {
      throw new ScriptInputError(`cron "${cron}" is not valid: ${(error as Error).message}`)
    }
  }
  return {
    kind,
    enabled,
    events: [],
    deviceFilter: '',
    everySeconds: hasEvery ? everySeconds : null,
    cron: hasCron ? cron.trim() : null,
    target,
  }
}

export function checkTarget(target: unknown): RunTarget {
  const t = target as RunTarget | undefined
  if (t?.kind === 'none' || t?.kind === 'all') return { kind: t.kind }
  if (
    t?.kind === 'devices' &&
    Array.isArray(t.serials) &&
    t.serials.length > 0 &&
    t.serials.length <= 100_000 &&
    t.serials.every((s) => typeof s === 'string' && s.trim() !== '')
  )
    return { kind: 'devices', serials: [...new Set(t.serials.map((s) => s.trim()))] }
  throw new ScriptInputError('target is {kind: "none"}, {kind: "all"} or {kind: "devices", serials: [...]}')
}

/** "HUAW*, SIM0000??" → a test for serials; empty matches every device. */
export function deviceMatcher(filter: string): (serial: string) => boolean {
  const patterns = filter.split(/[\s,]+/).filter(Boolean)
  if (patterns.length === 0) return () => true
  const res = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        'i',
      ),
  )
  return (serial) => res.some((re) => re.test(serial))
}

/** When a schedule trigger fires next after `from`; null when it never will. */
export function nextFiring(t: Pick<TriggerRecord, 'everySeconds' | 'cron'>, from: number): number | null {
  if (t.everySeconds) return from + t.everySeconds * 1000
  if (t.cron) {
    try {
      return CronExpressionParser.parse(t.cron, { currentDate: new Date(from) })
        .next()
        .getTime()
    } catch {
      return null
    }
  }
  return null
}

export interface TriggerEngineDeps {
  triggers: TriggerStore
  events: BenchEvents
  /** Starts the trigger's script; returns the run ids (none when it could not start). */
  fire(trigger: TriggerRecord, targets: RunTarget, event?: string): string[]
  isActive(runId: string): boolean
  warn(trigger: TriggerRecord, message: string): void
}

/**
 * Fires event and schedule triggers. One subscription to "device.informed" serves every event
 * trigger; each schedule has one timer. A schedule whose previous run is still going skips a
 * turn, and an event trigger runs at most MAX_ACTIVE_PER_TRIGGER at once, so a slow script
 * cannot pile up runs.
 */
export class TriggerEngine {
  private eventTriggers: { trigger: TriggerRecord; matchDevice: (s: string) => boolean }[] = []
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly nextAt = new Map<string, number>()
  private readonly runsOf = new Map<string, string[]>()
  private unsubscribe: (() => void) | undefined

  constructor(private readonly d: TriggerEngineDeps) {}

  start(): void {
    this.unsubscribe = this.d.events.on('device.informed', ({ device, events }) => {
      for (const { trigger, matchDevice } of this.eventTriggers) {
        if (!matchDevice(device.serial)) continue
        const hit =
          trigger.events.length === 0
            ? events[0]
            : events.find((e) => trigger.events.some((w) => eventMatches(e.code, w)))
        if (!hit) continue
        this.fire(trigger, { kind: 'devices', serials: [device.serial] }, hit.code)
      }
    })
    this.reload()
  }

  /** Re-reads every trigger (after one was created, changed or removed). */
  reload(): void {
    const all = this.d.triggers.list().filter((t) => t.enabled)
    this.eventTriggers = all
      .filter((t) => t.kind === 'event')
      .map((trigger) => ({ trigger, matchDevice: deviceMatcher(trigger.deviceFilter) }))
    const schedules = new Map(all.filter((t) => t.kind === 'schedule').map((t) => [t.id, t]))
    for (const [id, timer] of this.timers) {
      clearTimeout(timer)
      this.timers.delete(id)
      this.nextAt.delete(id)
    }
    for (const t of schedules.values()) this.schedule(t, Date.now())
  }

  /** When a schedule trigger fires next (null: not scheduled). */
  next(triggerId: string): number | null {
    return this.nextAt.get(triggerId) ?? null
  }

  close(): void {
    this.unsubscribe?.()
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }

  private schedule(t: TriggerRecord, from: number): void {
    const at = nextFiring(t, from)
    if (at === null) return
    this.nextAt.set(t.id, at)
    this.arm(t, at)
  }

  /** setTimeout cannot wait longer than ~24.8 days: far firings wait in steps. */
  private arm(t: TriggerRecord, at: number): void {
    const delay = Math.max(0, at - Date.now())
    const timer = setTimeout(
      () => {
        if (delay > MAX_TIMER_MS) return this.arm(t, at)
        this.fire(t, t.target)
        this.schedule(t, Math.max(Date.now(), at))
      },
      Math.min(delay, MAX_TIMER_MS),
    )
    timer.unref()
    this.timers.set(t.id, timer)
  }

  private fire(t: TriggerRecord, targets: RunTarget, event?: string): void {
    const active = (this.runsOf.get(t.id) ?? []).filter((id) => this.d.isActive(id))
    const limit = t.kind === 'schedule' ? 1 : MAX_ACTIVE_PER_TRIGGER
    if (active.length >= limit) {
      this.runsOf.set(t.id, active)
      this.d.warn(
        t,
        t.kind === 'schedule'
          ? 'skipped a scheduled run: the previous one is still running'
          : `skipped a run for ${targets.kind === 'devices' ? targets.serials.join(', ') : 'an event'}: ${limit} runs of this trigger are still active`,
      )
      return
    }
    try {
      const ids = this.d.fire(t, targets, event)
      this.runsOf.set(t.id, [...active, ...ids])
    } catch (error) {
      this.d.warn(t, `could not start: ${(error as Error).message}`)
    }
  }
}
