import { CronExpressionParser } from 'cron-parser'
import type { ProfileRecord } from './types'

/** Time and timers, injectable so tests move time instead of waiting for it. */
export interface Clock {
  now(): number
  /** Calls `fire` at time `at` (or soon after); returns a cancel. */
  setTimer(at: number, fire: () => void): () => void
}

/** setTimeout cannot wait longer than ~24.8 days: far times are waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fire) {
    let timer: NodeJS.Timeout
    const arm = () => {
      const delay = Math.max(0, at - Date.now())
      timer = setTimeout(delay > MAX_TIMER_MS ? arm : fire, Math.min(delay, MAX_TIMER_MS))
      timer.unref()
    }
    arm()
    return () => clearTimeout(timer)
  },
}

/** When a cron expression fires next after `from` (ms); null when it never will. */
export function nextCron(cron: string, from: number): number | null {
  try {
    return CronExpressionParser.parse(cron, { currentDate: new Date(from) })
      .next()
      .getTime()
  } catch {
    return null
  }
}

/**
 * The timers of profiles with a schedule: one per profile, each firing at its cron's due times
 * (each once; none made up for while the app was off). A profile that did not change keeps its
 * timer when others do.
 */
export class ProfileScheduler {
  private readonly armed = new Map<string, { profile: ProfileRecord; at: number; cancel: () => void }>()

  constructor(
    private readonly clock: Clock,
    private readonly fire: (profile: ProfileRecord, at: number) => void,
  ) {}

  /** Arms the enabled profiles with a schedule, disarms the rest. */
  reload(profiles: ProfileRecord[]): void {
    const wanted = new Map(profiles.filter((p) => p.enabled && p.when.schedule).map((p) => [p.id, p]))
    for (const [id, a] of this.armed) {
      const p = wanted.get(id)
      if (p && p.version === a.profile.version && p.updatedAt === a.profile.updatedAt) continue
      a.cancel()
      this.armed.delete(id)
    }
    for (const p of wanted.values()) if (!this.armed.has(p.id)) this.arm(p, this.clock.now())
  }

  /** When a profile's schedule fires next (null: not scheduled). */
  next(profileId: string): number | null {
    return this.armed.get(profileId)?.at ?? null
  }

  close(): void {
    for (const a of this.armed.values()) a.cancel()
    this.armed.clear()
  }

  private arm(profile: ProfileRecord, from: number): void {
    const at = nextCron(profile.when.schedule!, from)
    if (at === null) return
    const cancel = this.clock.setTimer(at, () => {
      this.armed.delete(profile.id)
      try {
        this.fire(profile, at)
      } finally {
        // From the due time (a timer may fire a moment early), or from now when the process
        // slept past further due times: those are skipped, not made up for.
        this.arm(profile, Math.max(this.clock.now(), at))
      }
    })
    this.armed.set(profile.id, { profile, at, cancel })
  }
}
