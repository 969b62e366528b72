import type { BenchEvents } from './events'
import type { Store } from './store'
import type { LoggedEvent, NewEvent } from './store/types'
import type { EventPatch } from './store/event-log'
import { errorMessage } from './errors'

/**
 * The one way to write to the event log: appends the row (and its outbox row) in one transaction,
 * then tells listeners (the UI's live log, sync) with an "event.logged" event.
 */
export class Journal {
  /** What waits for the open journal transaction to commit: logged events, then callbacks. */
  private pending: { logged: LoggedEvent[]; after: (() => void)[] } | null = null

  constructor(
    private readonly store: Store,
    private readonly events: BenchEvents,
    /** Where a row that could not be written goes instead (recordQuietly). */
    private readonly log: (level: 'warn', message: string) => void = () => {},
  ) {}

  record(event: NewEvent): LoggedEvent {
    const logged = this.store.events.append(event)
    if (this.pending) this.pending.logged.push(logged)
    else this.events.emit('event.logged', logged)
    return logged
  }

  /**
   * Changes a row written earlier (a grouped session row); listeners hear "event.updated" once the
   * open transaction commits. With `sync`, the row as it is now goes to the outbox.
   */
  update(seq: number, patch: EventPatch, sync = false): LoggedEvent | undefined {
    const updated = this.store.events.update(seq, patch, sync)
    if (updated) this.afterCommit(() => this.events.emit('event.updated', updated))
    return updated
  }

  /**
   * Records an event where failing to log must not fail the work it describes (a run that ended,
   * a session that closed while the store shuts down): the row is written, or the failure goes
   * to the log, and the caller goes on either way.
   */
  recordQuietly(event: NewEvent): LoggedEvent | null {
    try {
      return this.record(event)
    } catch (error) {
      this.log('warn', `cannot write to the event log (${errorMessage(error)}): ${event.summary}`)
      return null
    }
  }

  /**
   * Runs fn once the open journal transaction commits (at once when there is none); dropped if it
   * rolls back. Writers emit their bench events this way so listeners never see uncommitted data.
   */
  afterCommit(fn: () => void): void {
    if (this.pending) this.pending.after.push(fn)
    else fn()
  }

  /**
   * Runs fn in one SQLite transaction together with the events it records; listeners hear about
   * those events (and afterCommit callbacks run) only after the commit, never if it rolls back.
   * Nested calls become savepoints of the outer transaction.
   */
  transaction<T>(fn: (record: (event: NewEvent) => LoggedEvent) => T): T {
    const record = (e: NewEvent) => this.record(e)
    if (this.pending) {
      // Nested: a savepoint inside the outer transaction; forget its effects if it rolls back.
      const outer = this.pending
      const marks = [outer.logged.length, outer.after.length] as const
      try {
        return this.store.transaction(() => fn(record))
      } catch (error) {
        outer.logged.length = marks[0]
        outer.after.length = marks[1]
        throw error
      }
    }
    const pending = { logged: [] as LoggedEvent[], after: [] as (() => void)[] }
    this.pending = pending
    let result: T
    try {
      result = this.store.transaction(() => fn(record))
    } finally {
      this.pending = null
    }
    for (const logged of pending.logged) this.events.emit('event.logged', logged)
    for (const fn of pending.after) fn()
    return result
  }
}
