import type { Worker } from 'node:worker_threads'
import { CwmpDecodeError, decodeEnvelope, type DecodedEnvelope } from '../cwmp/decode'
import { locateWorker, spawnWorker } from '../workers'

/**
 * Messages from this size on are decoded in a worker thread. Decoding costs about 0.4 ms per KB on
 * the 2-core development VM, so 64 KB keeps what the main thread spends on one message (and so
 * the delay every other CPE's session sees) within ~25 ms; a typical Inform is 2–10 KB.
 */
export const OFFLOAD_BYTES = 64 * 1024

export interface ParseRequest {
  id: number
  /** The body: bytes when UTF-8 (decoded strictly by the decoder), else text. */
  raw: string | Uint8Array
  maxBytes: number
}

export type ParseReply =
  | { id: number; envelope: DecodedEnvelope }
  | {
      id: number
      decodeError: {
        kind: CwmpDecodeError['kind']
        message: string
        faultCode: number
        xmlCode?: CwmpDecodeError['xmlCode']
        context?: CwmpDecodeError['context']
      }
    }
  | { id: number; failure: string }

/** The parse worker's bundle in out/main (electron.vite.config.ts, input "cwmp-parse-worker"). */
const WORKER = { entry: 'parse-worker.ts', bundle: 'cwmp-parse-worker.js' }

/**
 * Decodes CWMP envelopes: small ones at once, large ones in a worker thread, so that one CPE's
 * 4 MB GetParameterValues answer does not stall every other CPE's session for a second or more.
 * Results and CwmpDecodeErrors are the same either way.
 */
export class EnvelopeParser {
  private worker: Worker | undefined
  /** The worker could not be started: decode inline from then on (said once in the log). */
  private noWorker = false
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (e: DecodedEnvelope) => void; reject: (e: Error) => void }>()

  constructor(private readonly onWorkerProblem: (message: string) => void = () => {}) {}

  parse(raw: string | Buffer, maxBytes: number): Promise<DecodedEnvelope> {
    if (raw.length < OFFLOAD_BYTES || this.noWorker) return this.inline(raw, maxBytes)
    let worker: Worker
    try {
      worker = this.ensureWorker()
    } catch (error) {
      // No worker (a build without its bundle): decoding here is slower for others, not wrong.
      this.noWorker = true
      this.onWorkerProblem(`cannot start the CWMP parse worker: ${(error as Error).message}`)
      return this.inline(raw, maxBytes)
    }
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, raw, maxBytes } satisfies ParseRequest)
    })
  }

  /** Stops the worker; messages still being decoded fail. */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    this.failAll(new Error('the ACS is closing'))
    await worker?.terminate()
  }

  private inline(raw: string | Buffer, maxBytes: number): Promise<DecodedEnvelope> {
    try {
      return Promise.resolve(decodeEnvelope(raw, { maxBytes }))
    } catch (error) {
      return Promise.reject(error as Error)
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = spawnWorker(locateWorker(import.meta.url, WORKER), { maxOldGenerationSizeMb: 512 })
    worker.unref()
    worker.on('message', (reply: ParseReply) => this.settle(reply))
    const gone = (why: string) => {
      if (this.worker !== worker) return
      this.worker = undefined
      this.onWorkerProblem(why)
      this.failAll(new Error(why))
    }
    worker.on('error', (error) => gone(`the CWMP parse worker failed: ${error.message}`))
    worker.on('exit', (code) => gone(`the CWMP parse worker exited (code ${code})`))
    this.worker = worker
    return worker
  }

  private settle(reply: ParseReply): void {
    const waiting = this.pending.get(reply.id)
    if (!waiting) return
    this.pending.delete(reply.id)
    if ('envelope' in reply) return waiting.resolve(reply.envelope)
    if ('failure' in reply) return waiting.reject(new Error(reply.failure))
    const e = reply.decodeError
    const error = new CwmpDecodeError(e.kind, e.message, e.faultCode, e.xmlCode)
    if (e.context) error.context = e.context
    waiting.reject(error)
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error)
    this.pending.clear()
  }
}
