import type { EventStruct } from '../cwmp'

/** Event codes that occur once per Inform; "M …" codes may repeat with different command keys. */
const single = (code: string) => !code.startsWith('M ')

/**
 * What the next Inform of a simulated CPE carries besides its fixed parameters: the events not
 * yet delivered, and the parameters changed on the CPE itself (not by the ACS) whose Notification
 * is 1 or 2 (TR-069 3.2.1). Both leave only once a session that carried them succeeded.
 */
export class PendingInform {
  private events: EventStruct[] = []
  /** Parameter → change number: tells a later change from the one an Inform reported. */
  private notify = new Map<string, number>()
  private changes = 0

  /** Adds events, once each ("M …" codes once per command key). */
  add(events: EventStruct[]): void {
    for (const ev of events) {
      const dup = this.events.some(
        (p) => p.eventCode === ev.eventCode && (single(ev.eventCode) || p.commandKey === ev.commandKey),
      )
      if (!dup) this.events.push(ev)
    }
  }

  /** A parameter with passive or active notification changed on the CPE: the next Inform lists it. */
  valueChanged(name: string): void {
    this.notify.set(name, ++this.changes)
  }

  /** The events and the changed parameters an Inform sent now carries. */
  take(): { events: EventStruct[]; notified: [string, number][] } {
    return { events: [...this.events], notified: [...this.notify] }
  }

  /** The session that carried these succeeded: they leave (a change made meanwhile stays). */
  delivered(events: EventStruct[], notified: [string, number][]): void {
    for (const ev of events) {
      const i = this.events.findIndex((p) => p.eventCode === ev.eventCode && p.commandKey === ev.commandKey)
      if (i >= 0) this.events.splice(i, 1)
    }
    for (const [name, n] of notified) if (this.notify.get(name) === n) this.notify.delete(name)
  }

  /** Factory reset: nothing is pending any more. */
  clear(): void {
    this.events = []
    this.notify.clear()
  }
}
