import { faultMeaning } from '../cwmp/faults'
import { CPE_METHODS } from '../cwmp/methods'
import type { AcsResponse, CpeRequest } from '../cwmp/types'
import type { Emit } from '../events'
import type { Journal } from '../journal'

type CpeRequestOtherThanInform = Exclude<CpeRequest, { method: 'Inform' }>

export interface TrackedTransfer {
  commandKey: string
  method: 'Download' | 'Upload'
  rpcId: string
  at: number
}

/**
 * Downloads and Uploads a CPE accepted (status 1) and will confirm later with TransferComplete.
 * The bench keeps them in SQLite (main/core/files/transfers.ts), since a CPE repeats its
 * TransferComplete until acknowledged, across a restart of the ACS too (TR-069 A.3.3.2).
 */
export interface TransferTracker {
  track(serial: string, transfer: TrackedTransfer): void
  /** The oldest pending transfer with this CommandKey, removed from tracking. */
  take(serial: string, commandKey: string): TrackedTransfer | undefined
  pendingFor(serial: string): TrackedTransfer[]
}

/** A TransferTracker in memory: for an ACS built without the bench's store-backed one. */
export class MemoryTransferTracker implements TransferTracker {
  private readonly pending = new Map<string, TrackedTransfer[]>()

  track(serial: string, transfer: TrackedTransfer): void {
    const list = this.pending.get(serial) ?? []
    list.push(transfer)
    // A CPE that never confirms must not make this grow forever.
    if (list.length > 100) list.shift()
    this.pending.set(serial, list)
  }

  /** The oldest pending transfer with this CommandKey, removed from tracking. */
  take(serial: string, commandKey: string): TrackedTransfer | undefined {
    const list = this.pending.get(serial)
    const at = list?.findIndex((t) => t.commandKey === commandKey) ?? -1
    if (!list || at < 0) return undefined
    const [found] = list.splice(at, 1)
    if (list.length === 0) this.pending.delete(serial)
    return found
  }

  pendingFor(serial: string): TrackedTransfer[] {
    return [...(this.pending.get(serial) ?? [])]
  }
}

/**
 * Answers what a CPE may ask of an ACS besides Inform. RequestDownload is acknowledged and
 * announced ("transfer.requested") — Bench ACS serves no files itself, so a script or the UI
 * decides whether to answer with a Download.
 */
export function answerCpeRequest(
  deps: { journal: Journal; emit: Emit; transfers: TransferTracker },
  serial: string,
  body: CpeRequestOtherThanInform,
  soapIn: string,
): AcsResponse {
  const { journal, emit, transfers } = deps
  switch (body.method) {
    case 'GetRPCMethods':
      journal.record({ kind: 'rpc', serial, summary: 'CPE asked for the ACS RPC methods', soapIn })
      return { method: 'GetRPCMethodsResponse', methodList: Object.keys(CPE_METHODS) }
    case 'TransferComplete':
    case 'AutonomousTransferComplete': {
      const autonomous = body.method === 'AutonomousTransferComplete'
      const commandKey = autonomous ? '' : body.commandKey
      const tracked = autonomous ? undefined : transfers.take(serial, commandKey)
      const method = autonomous ? (body.isDownload ? 'Download' : 'Upload') : tracked?.method
      const f = body.faultStruct
      const failed = f.faultCode !== 0
      const what = autonomous
        ? `Autonomous ${method!.toLowerCase()} of ${body.fileType || 'a file'}${body.transferUrl ? ` from ${body.transferUrl}` : ''}`
        : `${method ?? 'Transfer'} "${commandKey}"`
      journal.record({
        kind: 'transfer',
        severity: failed ? 'warn' : 'info',
        serial,
        summary: failed
          ? `${what} failed: ${f.faultCode} ${f.faultString || faultMeaning(f.faultCode)}`
          : `${what} completed`,
        detail: {
          method,
          autonomous,
          commandKey,
          rpcId: tracked?.rpcId,
          faultCode: f.faultCode,
          faultString: f.faultString,
          startTime: body.startTime,
          completeTime: body.completeTime,
          ...(autonomous
            ? {
                fileType: body.fileType,
                fileSize: body.fileSize,
                transferUrl: body.transferUrl,
                announceUrl: body.announceUrl,
              }
            : { matched: Boolean(tracked) }),
        },
        soapIn,
      })
      emit('transfer.completed', {
        serial,
        commandKey,
        method,
        rpcId: tracked?.rpcId,
        autonomous,
        fault: { code: f.faultCode, message: f.faultString || (failed ? faultMeaning(f.faultCode) : '') },
        startTime: body.startTime,
        completeTime: body.completeTime,
      })
      return { method: autonomous ? 'AutonomousTransferCompleteResponse' : 'TransferCompleteResponse' }
    }
    case 'RequestDownload':
      journal.record({
        kind: 'transfer',
        serial,
        summary: `CPE requested a download of "${body.fileType}"`,
        detail: { fileType: body.fileType, fileTypeArg: body.fileTypeArg },
        soapIn,
      })
      emit('transfer.requested', { serial, fileType: body.fileType, fileTypeArg: body.fileTypeArg })
      return { method: 'RequestDownloadResponse' }
    case 'DUStateChangeComplete':
    case 'AutonomousDUStateChangeComplete':
      journal.record({
        kind: 'transfer',
        serial,
        summary:
          body.method === 'DUStateChangeComplete'
            ? `Deployment unit change "${body.commandKey}" completed`
            : 'Autonomous deployment unit change completed',
        soapIn,
      })
      return { method: `${body.method}Response` }
  }
}
