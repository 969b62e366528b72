import type { CpeRequest, EventStruct } from '../cwmp'
import type { SimEventName } from './api'
import { IMAGE_HEADER_MAX, readImageHeader } from '../../../common/firmware-image'
import { applyConfigFile, buildConfigFile } from './config-file'
import { deviceId } from './identity'
import type { DataModel } from './model/data-model'
import type { DeferredAction } from './rpc'
import { Timers } from './timers'
import { download, upload, type TransferOutcome } from './transfer'

/** What the transfer queue needs from its CPE. */
export interface TransferHost {
  readonly serial: string
  readonly model: DataModel
  readonly history: string[]
  say(text: string): void
  emit(name: SimEventName, detail?: unknown): void
  queue(events: EventStruct[]): void
}

type TransferAction = Extract<DeferredAction, { kind: 'download' | 'upload' }>

interface Entry {
  action: TransferAction
  /** Running or done: too late for CancelTransfer. */
  started?: boolean
  cancelled?: boolean
  /** Set once the transfer has finished; cleared from the queue when the ACS acknowledges it. */
  completion?: Extract<CpeRequest, { method: 'TransferComplete' }>
}

/** Configuration files are kept (to apply them); anything else is counted and dropped. */
const KEEP_CONFIG_BYTES = 4 * 1024 * 1024

/**
 * A CPE's file transfers: each waits its DelaySeconds, runs (one at a time, as on a real CPE), and
 * is reported with "7 TRANSFER COMPLETE" + "M Download"/"M Upload" and a TransferComplete request
 * until the ACS acknowledges it.
 */
export class Transfers {
  private entries: Entry[] = []
  private chain: Promise<void> = Promise.resolve()
  private readonly timers = new Timers()
  private generation = 0
  private abort = new AbortController()

  constructor(private readonly host: TransferHost) {}

  /** Accepted and not yet acknowledged: what counts against the queue limit. */
  get size(): number {
    return this.entries.length
  }

  start(action: TransferAction): void {
    const entry: Entry = { action }
    const generation = this.generation
    this.entries.push(entry)
    this.timers.once(action.request.delaySeconds * 1000, () => {
      this.chain = this.chain
        .then(() => (generation === this.generation && !entry.cancelled ? this.run(entry, generation) : undefined))
        .catch((error: unknown) => this.host.say(`transfer failed unexpectedly: ${String(error)}`))
    })
  }

  informEvents(): EventStruct[] {
    const done = this.entries.filter((e) => e.completion)
    if (!done.length) return []
    return [
      { eventCode: '7 TRANSFER COMPLETE', commandKey: '' },
      ...done.map((e) => ({
        eventCode: e.action.kind === 'download' ? 'M Download' : 'M Upload',
        commandKey: e.action.request.commandKey,
      })),
    ]
  }

  completions(): CpeRequest[] {
    return this.entries.flatMap((e) => (e.completion ? [e.completion] : []))
  }

  delivered(request: CpeRequest): void {
    this.entries = this.entries.filter((e) => e.completion !== request)
  }

  /**
   * CancelTransfer (TR-069 A.4.1.8): a transfer still waiting its DelaySeconds is dropped without
   * a TransferComplete; one that has started cannot be (fault 9021).
   */
  cancel(commandKey: string): 'cancelled' | 'started' | 'unknown' {
    const entry = this.entries.find((e) => e.action.request.commandKey === commandKey)
    if (!entry) return 'unknown'
    if (entry.started) return 'started'
    entry.cancelled = true
    this.entries = this.entries.filter((e) => e !== entry)
    return 'cancelled'
  }

  /** FactoryReset: forget everything, including transfers still running. */
  clear(): void {
    this.generation++
    this.abort.abort()
    this.abort = new AbortController()
    this.timers.clear()
    this.entries = []
  }

  stop(): void {
    this.clear()
  }

  /**
   * "Installs" a firmware image: one with a Bench ACS image header (common/firmware-image.ts) sets
   * DeviceInfo.SoftwareVersion, reported after the reboot; one for another product class is
   * refused, as a real CPE refuses another model's image; any other file is firmware of unknown
   * version and leaves the version as it was. Returns why it was refused, if it was.
   */
  private install(head: Buffer): string | undefined {
    const image = readImageHeader(head)
    if (!image) return undefined
    const mine = deviceId(this.host.model, this.host.serial).productClass
    if (image.productClass && image.productClass !== mine)
      return `File corrupted: the image is for ${image.productClass}, this device is ${mine}`
    for (const root of this.host.model.roots) this.host.model.set(`${root}DeviceInfo.SoftwareVersion`, image.version)
    this.host.say(`firmware ${image.version} installed`)
    return undefined
  }

  private async run(entry: Entry, generation: number): Promise<void> {
    const { action } = entry
    entry.started = true
    const req = action.request
    this.host.say(`${action.kind} ${req.fileType} ${req.url} started`)
    let outcome: TransferOutcome
    let reboot = false
    if (action.kind === 'download') {
      const isConfig = req.fileType.startsWith('3 ')
      const isFirmware = req.fileType.startsWith('1 ')
      const keep = isConfig ? KEEP_CONFIG_BYTES : isFirmware ? IMAGE_HEADER_MAX : 0
      outcome = await download(action.request, keep, this.abort.signal)
      if (generation !== this.generation) return
      if (outcome.faultCode === 0 && isConfig) {
        try {
          if (outcome.bytes > KEEP_CONFIG_BYTES)
            throw new Error(`${outcome.bytes} bytes is more than a configuration file of this device can be`)
          applyConfigFile(this.host.model, outcome.body ?? Buffer.alloc(0))
          reboot = true
        } catch (error) {
          outcome = { ...outcome, faultCode: 9018, faultString: `File corrupted: ${(error as Error).message}` }
        }
      } else if (outcome.faultCode === 0 && isFirmware) {
        const fault = this.install(outcome.body ?? Buffer.alloc(0))
        if (fault) outcome = { ...outcome, faultCode: 9018, faultString: fault }
        else reboot = true
      }
    } else {
      const isLog = /^(2|4) Vendor Log File/.test(req.fileType)
      const content = isLog
        ? Buffer.from(this.host.history.join('\n') + '\n')
        : buildConfigFile(this.host.model, this.host.serial)
      outcome = await upload(action.request, content, isLog ? 'text/plain' : 'application/json', this.abort.signal)
      if (generation !== this.generation) return
    }
    delete outcome.body
    entry.completion = {
      method: 'TransferComplete',
      commandKey: req.commandKey,
      faultStruct: { faultCode: outcome.faultCode, faultString: outcome.faultString },
      startTime: outcome.startTime,
      completeTime: outcome.completeTime,
    }
    this.host.say(
      `${action.kind} ${req.url} ${outcome.faultCode === 0 ? `done (${outcome.bytes} bytes)` : `failed: ${outcome.faultCode} ${outcome.faultString}`}`,
    )
    this.host.emit('transfer-complete', {
      kind: action.kind,
      commandKey: req.commandKey,
      faultCode: outcome.faultCode,
      faultString: outcome.faultString,
    })
    if (reboot) {
      // A new firmware or configuration takes effect with a reboot, reported in the same Inform.
      this.host.model.bootTime = Date.now()
      this.host.emit('rebooted', 'Download')
      this.host.queue([{ eventCode: '1 BOOT', commandKey: '' }])
    } else this.host.queue([])
  }
}
