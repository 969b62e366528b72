import type { EventStruct } from '../cwmp'
import type { SimEventName } from './api'
import { completePingDiagnostics } from './diagnostics'
import type { DataModel } from './model/data-model'
import type { DeferredAction } from './rpc'
import type { Timers } from './timers'
import type { Transfers } from './transfers'

/** What carrying out a session's deferred actions needs from the CPE. */
export interface ActionHost {
  /** The data model now (a factory reset replaces it). */
  model(): DataModel
  readonly transfers: Pick<Transfers, 'start'>
  readonly timers: Pick<Timers, 'once'>
  /** Back to the model's defaults: a new data model, no transfers, bootstrapped again. */
  factoryReset(): void
  /** Adds events for the next Inform and makes sure a session will carry them. */
  queue(events: EventStruct[]): void
  emit(name: SimEventName, detail?: unknown): void
}

/**
 * Carries out what an RPC left for the session's end (TR-069: a Reboot, FactoryReset, Download …
 * takes effect after the session that asked for it), with the events that report it next.
 */
export function perform(host: ActionHost, action: DeferredAction): void {
  switch (action.kind) {
    case 'reboot':
      host.model().bootTime = Date.now()
      host.emit('rebooted', 'Reboot')
      host.queue([
        { eventCode: '1 BOOT', commandKey: '' },
        { eventCode: 'M Reboot', commandKey: action.commandKey },
      ])
      break
    case 'factory-reset':
      host.factoryReset()
      host.emit('rebooted', 'FactoryReset')
      host.queue([{ eventCode: '1 BOOT', commandKey: '' }])
      break
    case 'schedule-inform':
      host.timers.once(action.delaySeconds * 1000, () =>
        host.queue([
          { eventCode: '3 SCHEDULED', commandKey: '' },
          { eventCode: 'M ScheduleInform', commandKey: action.commandKey },
        ]),
      )
      break
    case 'download':
    case 'upload':
      host.transfers.start(action)
      break
    case 'diagnostics':
      completePingDiagnostics(host.model(), action.object)
      host.queue([{ eventCode: '8 DIAGNOSTICS COMPLETE', commandKey: '' }])
      break
  }
}
