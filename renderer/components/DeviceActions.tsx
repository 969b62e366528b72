import { useRef, useState } from 'react'
import type { ActionResult, LoggedEvent } from '../../preload/api'
import { bench } from '../lib/bench'
import { AWAITED_ACTION, AWAITED_LABEL, outcomeOf } from '../lib/follow'
import { duration } from '../lib/format'
import { messageOf, useNow, useStream } from '../lib/hooks'
import { href } from '../lib/router'
import { DownloadForm } from './DownloadForm'
import { Note, Spinner } from './ui'

/** An action's state as the technician sees it: sent, accepted and waiting on the device, or over. */
type Shown = ActionResult & { state: 'waiting' | 'done'; since: number }

/** A library transfer's answer as an action's: status 1 means its TransferComplete is to come. */
function transferResult(what: string, r: { commandKey: string; status: number }): ActionResult {
  return r.status === 0
    ? { ok: true, message: `${what} completed.` }
    : {
        ok: true,
        message: `${what} accepted: the device reports the result with TRANSFER COMPLETE.`,
        awaits: 'transfer',
        commandKey: r.commandKey,
      }
}

/**
 * Connection request, download, reboot and factory reset of one device (removing it from the list
 * is in the page's danger zone, away from these). An accepted reboot, reset or download is
 * followed to its end: the note waits for the device's "1 BOOT", "0 BOOTSTRAP" or TransferComplete
 * and then says how it went, failures included.
 */
export function DeviceActions({ serial, canSend }: { serial: string; canSend: boolean }) {
  const [busy, setBusy] = useState<string | null>(null)
  const [shown, setShown] = useState<Shown | null>(null)
  const [downloadOpen, setDownloadOpen] = useState(false)
  // This device's events since the action was sent: the awaited one can arrive before its reply.
  const heard = useRef<LoggedEvent[] | null>(null)

  const transferName = useRef<string | undefined>(undefined)
  /** The outcome's words; a configuration backup is an upload, not a download. */
  const named = (o: { ok: boolean; message: string }) =>
    transferName.current ? { ...o, message: o.message.replace(/download/g, transferName.current) } : o
  const finish = (result: ActionResult, since: number) => {
    const events = heard.current ?? []
    if (result.ok && result.awaits) {
      for (const e of events) {
        const outcome = outcomeOf(result.awaits, result.commandKey, serial, e)
        if (outcome) {
          heard.current = null
          return setShown({ ...named(outcome), state: 'done', since })
        }
      }
      return setShown({ ...result, state: 'waiting', since })
    }
    heard.current = null
    setShown({ ...result, state: 'done', since })
  }

  useStream('events.logged', (batch) => {
    const mine = batch.filter((e) => e.serial === serial)
    if (mine.length === 0 || heard.current === null) return
    if (shown?.state !== 'waiting' || !shown.awaits) {
      heard.current.push(...mine)
      return
    }
    for (const e of mine) {
      const outcome = outcomeOf(shown.awaits, shown.commandKey, serial, e)
      if (outcome) {
        heard.current = null
        setShown({ ...named(outcome), state: 'done', since: shown.since })
        return
      }
    }
  })

  const run = async (label: string, action: () => Promise<ActionResult>, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return
    transferName.current = label === 'backup' ? 'configuration upload' : undefined
    setBusy(label)
    setShown(null)
    const since = Date.now()
    heard.current = []
    try {
      finish(await action(), since)
    } catch (e) {
      finish({ ok: false, message: messageOf(e) }, since)
    } finally {
      setBusy(null)
    }
  }
  const disabled = !canSend || busy !== null
  return (
    <div className="actions-wrap">
      <div className="actions">
        <button
          disabled={disabled}
          onClick={() => run('wake', () => bench.devices.wake(serial))}
          data-testid="action-wake"
        >
          {busy === 'wake' ? <Spinner label="Waking…" /> : 'Connection request'}
        </button>
        <button disabled={disabled} onClick={() => setDownloadOpen((o) => !o)} data-testid="action-download">
          Download file…
        </button>
        <button
          disabled={disabled}
          onClick={() =>
            run('backup', async () =>
              transferResult('Configuration backup', await bench.files.backup(serial, 'config')),
            )
          }
          data-testid="action-backup"
        >
          {busy === 'backup' ? <Spinner label="Asking for the configuration…" /> : 'Back up configuration'}
        </button>
        <button
          disabled={disabled}
          onClick={() => run('reboot', () => bench.devices.reboot(serial), `Reboot ${serial}?`)}
          data-testid="action-reboot"
        >
          {busy === 'reboot' ? <Spinner label="Rebooting…" /> : 'Reboot'}
        </button>
        <button
          className="danger"
          disabled={disabled}
          onClick={() =>
            run(
              'reset',
              () => bench.devices.factoryReset(serial),
              `Factory reset ${serial}? It loses its whole configuration.`,
            )
          }
          data-testid="action-factory-reset"
        >
          {busy === 'reset' ? <Spinner label="Resetting…" /> : 'Factory reset'}
        </button>
      </div>
      {!canSend && <span className="muted small">The ACS is not running in this build: actions are off.</span>}
      {shown && <ActionNote shown={shown} />}
      {downloadOpen && (
        <DownloadForm
          busy={busy === 'download'}
          onCancel={() => setDownloadOpen(false)}
          onSubmit={(req) =>
            run('download', async () => {
              const r = await bench.devices.download(serial, req)
              if (r.ok) setDownloadOpen(false)
              return r
            })
          }
          onLibrary={(name) =>
            run('download', async () => {
              const r = transferResult(`Download of ${name}`, await bench.files.download(serial, name))
              setDownloadOpen(false)
              return r
            })
          }
        />
      )}
    </div>
  )
}

function ActionNote({ shown }: { shown: Shown }) {
  const now = useNow(1000)
  if (shown.state === 'waiting' && shown.awaits)
    return (
      <Note kind="info" testId="action-result" state="waiting">
        <Spinner />
        <span>
          {`${AWAITED_ACTION[shown.awaits]} accepted by the device — waiting for its ${AWAITED_LABEL[shown.awaits]}… `}
          {duration(Math.max(0, now - shown.since))}
        </span>
      </Note>
    )
  const settings = !shown.ok && /Settings/.test(shown.message)
  return (
    <Note kind={shown.ok ? 'ok' : 'warn'} testId="action-result" state={shown.ok ? 'done' : 'failed'}>
      <span>
        {shown.message}
        {settings && (
          <>
            {' '}
            <a href={href('settings')}>Open Settings</a>
          </>
        )}
      </span>
    </Note>
  )
}
