import type { BenchEvents } from './events'
import type { Store } from './store'
import type { LoggedEvent, NewEvent } from './store/types'

/**
 * The one way to write to the event log: appends the row (and its outbox row) in one transaction,
 * then tells listeners (the UI's live log, sync) with an "event.logged" event.
 */
export class Journal {
  constructor(
    private readonly store: Store,
    private readonly events: BenchEvents,
  ) {}

  record(event: NewEvent): LoggedEvent {
    const logged = this.store.events.append(event)
    this.events.emit('event.logged', logged)
    return logged
  }
}
