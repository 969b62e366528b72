import { CronExpressionParser } from 'cron-parser'
import type { BenchEvents } from '../../events'
import { eventMatches } from '../../lua/host/cwmp-events'
import { ScriptInputError } from '../errors'
import type { TriggerStore } from './store'
import type { RunTarget, TriggerInput, TriggerRecord } from '../types'

/** Devices one run target may name (a run per device). */
export const MAX_RUN_SERIALS = 100_000

/** Runs of one event trigger running at once; further firings wait, queued, for one to end. */
export const MAX_RUNNING_PER_TRIGGER = 20
/**
 * Runs of one event trigger queued or running at once: past it (a slow script and a stream of
 * events) further firings are skipped and logged, so a trigger cannot pile up runs without end.
 */
export const MAX_ACTIVE_PER_TRIGGER = 1000
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
    t.serials.length <= MAX_RUN_SERIALS &&
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

/**
 * When a schedule trigger fires next after `from`; null when it never will. An interval fires at
 * `anchor` + a whole number of intervals, so its times never drift from when it was set up.
 */
export function nextFiring(
  t: Pick<TriggerRecord, 'everySeconds' | 'cron'>,
  from: number,
  anchor: number = from,
): number | null {
  if (t.everySeconds) {
    const every = t.everySeconds * 1000
    return anchor + (Math.floor((from - anchor) / every) + 1) * every
  }
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
  /**
   * Starts the trigger's script; returns the run ids (none when it could not start). `at` is the
   * time it fired for (a schedule's due time), recorded as the trigger's lastFiredAt.
   */
  fire(trigger: TriggerRecord, targets: RunTarget, at: number, event?: string): string[]
  isActive(runId: string): boolean
  warn(trigger: TriggerRecord, message: string): void
}

/**
 * Fires event and schedule triggers. One subscription to "device.informed" serves every event
 * trigger; each schedule has one timer. A schedule whose previous run is still going skips a
 * turn. An event trigger runs at most MAX_RUNNING_PER_TRIGGER at once (the rest wait, queued)
 * and skips firings past MAX_ACTIVE_PER_TRIGGER, so a slow script cannot pile up runs.
 *
 * A schedule fires at its due times only: an interval at its anchor (when it was last edited)
 * plus whole intervals, a cron on its expression, each due time once (never one at or before the
 * last it fired for, which survives a restart), and none made up for while the app was off.
 */
export class TriggerEngine {
  private eventTriggers: { trigger: TriggerRecord; matchDevice: (s: string) => boolean }[] = []
  private readonly schedules = new Map<string, { trigger: TriggerRecord; at: number; timer: NodeJS.Timeout }>()
  /** The due time each schedule last fired for, in this process (the store has it too). */
  private readonly firedFor = new Map<string, number>()
  private readonly runsOf = new Map<string, string[]>()
  private unsubscribe: (() => void) | undefined
  private started = false

  constructor(private readonly d: TriggerEngineDeps) {}

  start(): void {
    if (this.started) return
    this.started = true
    this.unsubscribe = this.d.events.on('device.informed', ({ device, events }) => {
      for (const { trigger, matchDevice } of this.eventTriggers) {
        if (!matchDevice(device.serial)) continue
        const hit =
          trigger.events.length === 0
            ? events[0]
            : events.find((e) => trigger.events.some((w) => eventMatches(e.code, w)))
        if (!hit) continue
        this.fire(trigger, { kind: 'devices', serials: [device.serial] }, Date.now(), hit.code)
      }
    })
    this.reload()
  }

  /**
   * Re-reads every trigger (after one was created, changed or removed). Schedules that did not
   * change keep their timer, so editing one trigger never moves or repeats another's firing.
   */
  reload(): void {
    // Not started (a process that does not fire triggers): nothing to arm.
    if (!this.started) return
    const all = this.d.triggers.list().filter((t) => t.enabled)
    this.eventTriggers = all
      .filter((t) => t.kind === 'event')
      .map((trigger) => ({ trigger, matchDevice: deviceMatcher(trigger.deviceFilter) }))
    const schedules = new Map(all.filter((t) => t.kind === 'schedule').map((t) => [t.id, t]))
    for (const [id, s] of this.schedules) {
      if (schedules.get(id)?.updatedAt === s.trigger.updatedAt) continue
      clearTimeout(s.timer)
      this.schedules.delete(id)
    }
    for (const t of schedules.values()) {
      if (this.schedules.has(t.id)) continue
      // Never again a due time it already fired for, here or before a restart (or a clock step back).
      this.schedule(t, Math.max(Date.now(), this.firedFor.get(t.id) ?? t.lastFiredAt ?? 0))
    }
    const ids = new Set(all.map((t) => t.id))
    for (const id of this.runsOf.keys()) if (!ids.has(id)) this.runsOf.delete(id)
    for (const id of this.firedFor.keys()) if (!ids.has(id)) this.firedFor.delete(id)
  }

  /** When a schedule trigger fires next (null: not scheduled). */
  next(triggerId: string): number | null {
    return this.schedules.get(triggerId)?.at ?? null
  }

  close(): void {
    this.started = false
    this.unsubscribe?.()
    for (const s of this.schedules.values()) clearTimeout(s.timer)
    this.schedules.clear()
  }

  private schedule(t: TriggerRecord, from: number): void {
    const at = nextFiring(t, from, t.updatedAt)
    if (at === null) return
    this.arm(t, at)
  }

  /** setTimeout cannot wait longer than ~24.8 days: far firings wait in steps. */
  private arm(t: TriggerRecord, at: number): void {
    const delay = Math.max(0, at - Date.now())
    const timer = setTimeout(
      () => {
        if (delay > MAX_TIMER_MS) return this.arm(t, at)
        this.firedFor.set(t.id, at)
        this.fire(t, t.target, at)
        // From the due time (a timer may run a moment early), or from now when the process was
        // asleep past further due times: those are skipped, not made up for.
        this.schedule(t, Math.max(Date.now(), at))
      },
      Math.min(delay, MAX_TIMER_MS),
    )
    timer.unref()
    this.schedules.set(t.id, { trigger: t, at, timer })
  }

  private fire(t: TriggerRecord, targets: RunTarget, at: number, event?: string): void {
    const active = (this.runsOf.get(t.id) ?? []).filter((id) => this.d.isActive(id))
    const limit = t.kind === 'schedule' ? 1 : MAX_ACTIVE_PER_TRIGGER
    if (active.length >= limit) {
      this.runsOf.set(t.id, active)
      this.d.warn(
        t,
        t.kind === 'schedule'
          ? 'skipped a scheduled run: the previous one is still running'
          : `skipped a run for ${targets.kind === 'devices' ? targets.serials.join(', ') : 'an event'}: ${limit} runs of this trigger are already queued or running`,
      )
      return
    }
    try {
      const ids = this.d.fire(t, targets, at, event)
      this.runsOf.set(t.id, [...active, ...ids])
    } catch (error) {
      this.d.warn(t, `could not start: ${(error as Error).message}`)
    }
  }
}
