import type { Journal } from '../journal'
import type { Severity } from '../store'

/** How much of an offending body the event log keeps. */
export const BODY_PREVIEW_BYTES = 4096

/** Per remote address and minute, how many problems are logged before the rest are only counted. */
const PER_MINUTE = 30

export interface Problem {
  kind: 'security' | 'fault'
  severity?: Severity
  serial?: string | null
  /** The CWMP session it happened in (Session.id): the UI shows it with the session's rows. */
  session?: string | null
  remoteAddress: string
  summary: string
  /** HTTP status or SOAP fault code we answered with. */
  status?: number
  faultCode?: number
  /** The offending request body; only its start is kept. */
  body?: string | Buffer
  bodyBytes?: number
  detail?: Record<string, unknown>
}

/**
 * Logs bad or hostile input (kind "security" or "fault") with the start of the offending body,
 * without letting one noisy or malicious client flood the event log.
 */
export class ProblemLog {
  private readonly windows = new Map<string, { start: number; count: number; suppressed: number }>()

  constructor(private readonly journal: Journal) {}

  report(p: Problem): void {
    try {
      const now = Date.now()
      let w = this.windows.get(p.remoteAddress)
      if (!w || now - w.start >= 60_000) {
        if (w && w.suppressed > 0) this.summarise(p.remoteAddress, w.suppressed)
        if (this.windows.size > 10_000) this.windows.clear()
        w = { start: now, count: 0, suppressed: 0 }
        this.windows.set(p.remoteAddress, w)
      }
      if (++w.count > PER_MINUTE) {
        w.suppressed++
        return
      }
      const { text, bytes } = preview(p.body)
      this.journal.record({
        kind: p.kind,
        severity: p.severity ?? 'warn',
        serial: p.serial ?? null,
        session: p.session ?? null,
        summary: p.summary,
        detail: {
          remoteAddress: p.remoteAddress,
          ...(p.status !== undefined ? { httpStatus: p.status } : {}),
          ...(p.faultCode !== undefined ? { faultCode: p.faultCode } : {}),
          bodyBytes: p.bodyBytes ?? bytes,
          ...(text !== undefined && bytes > BODY_PREVIEW_BYTES ? { truncatedTo: BODY_PREVIEW_BYTES } : {}),
          ...p.detail,
        },
        soapIn: text ?? null,
      })
    } catch {
      // Logging a problem must never become a second problem (e.g. the disk is full).
    }
  }

  private summarise(remoteAddress: string, suppressed: number): void {
    this.journal.record({
      kind: 'security',
      severity: 'warn',
      summary: `${suppressed} more problems from ${remoteAddress} in one minute were not logged one by one`,
      detail: { remoteAddress, suppressed },
    })
  }
}

function preview(body: string | Buffer | undefined): { text?: string; bytes: number } {
  if (body === undefined) return { bytes: 0 }
  const buf = typeof body === 'string' ? Buffer.from(body) : body
  if (buf.length === 0) return { bytes: 0 }
  // Control bytes other than tab/CR/LF are shown as \xNN so a binary body stays readable and safe.
  const text = buf
    .subarray(0, BODY_PREVIEW_BYTES)
    .toString('utf8')
    .replace(/[^\t\n\r\x20-\x7e\x80-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .slice(0, BODY_PREVIEW_BYTES)
  return { text, bytes: buf.length }
}
