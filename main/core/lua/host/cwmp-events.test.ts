import { describe, expect, it } from 'vitest'
import { BenchEvents } from '../../events'
import type { DeviceRecord } from '../../store/types'
import { CwmpEventHub, eventMatches, eventNumber, QUEUE_MAX } from './cwmp-events'

const device = (serial: string) => ({ serial }) as DeviceRecord
const inform = (events: BenchEvents, serial: string, ...codes: string[]) =>
  events.emit('device.informed', { device: device(serial), events: codes.map((code) => ({ code, commandKey: '' })) })
const any = { events: [], serials: [] }

describe('listen_to_cwmp_event queues', () => {
  it("match by number, full code or name; answer the page's number", () => {
    expect(eventMatches('2 PERIODIC', '2')).toBe(true)
    expect(eventMatches('2 PERIODIC', '2 periodic')).toBe(true)
    expect(eventMatches('2 PERIODIC', 'PERIODIC')).toBe(true)
    expect(eventMatches('12 AUTONOMOUS DU STATE CHANGE COMPLETE', '1')).toBe(false)
    expect(eventMatches('M Reboot', 'M Reboot')).toBe(true)
    expect(eventNumber('10 AUTONOMOUS TRANSFER COMPLETE')).toBe('10')
    expect(eventNumber('M Download')).toBe('M Download')
  })

  it('keep events for the next call, skip the ones a call does not want, and stay bounded', async () => {
    const events = new BenchEvents()
    const hub = new CwmpEventHub(events)
    const dropped: number[] = []
    const q = hub.open((n) => dropped.push(n))
    const signal = new AbortController().signal
    inform(events, 'A', '1 BOOT', 'M Reboot')
    inform(events, 'B', '2 PERIODIC')
    expect(await q.next({ events: ['2'], serials: [] }, signal)).toMatchObject({ serial: 'B', code: '2 PERIODIC' })
    // The BOOT and M Reboot before it were passed by.
    expect(q.size).toBe(0)
    for (let i = 0; i < QUEUE_MAX + 5; i++) inform(events, 'C', '2 PERIODIC')
    expect(q.size).toBe(QUEUE_MAX)
    await q.next(any, signal)
    expect(dropped).toEqual([5])
    q.close()
    expect(hub.openQueues).toBe(0)
    hub.close()
    expect(events.listenerCount('device.informed')).toBe(0)
  })

  it('wait for a matching event, or give up on timeout or abort without leaving anything behind', async () => {
    const events = new BenchEvents()
    const hub = new CwmpEventHub(events)
    const q = hub.open()
    const controller = new AbortController()
    const waiting = q.next({ events: ['4'], serials: ['X'] }, controller.signal)
    inform(events, 'Y', '4 VALUE CHANGE')
    inform(events, 'X', '2 PERIODIC')
    inform(events, 'X', '4 VALUE CHANGE')
    expect(await waiting).toMatchObject({ serial: 'X', code: '4 VALUE CHANGE' })
    expect(await q.next(any, controller.signal, 10)).toBeNull()
    const aborted = q.next(any, controller.signal)
    controller.abort()
    expect(await aborted).toBeNull()
    q.close()
    hub.close()
  })
})
