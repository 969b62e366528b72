import { useEffect, useState } from 'react'
import type { TriggerInput, TriggerRecord } from '../../../preload/api'
import { bench } from '../../lib/bench'
import { dateTime } from '../../lib/format'
import { messageOf, useLoad } from '../../lib/hooks'
import { ErrorNote, Note, Spinner } from '../ui'

const EVENT_CODES = [
  '0 BOOTSTRAP',
  '1 BOOT',
  '2 PERIODIC',
  '3 SCHEDULED',
  '4 VALUE CHANGE',
  '6 CONNECTION REQUEST',
  '7 TRANSFER COMPLETE',
  '8 DIAGNOSTICS COMPLETE',
  'M Reboot',
  'M Download',
]

/** A trigger being edited: what TriggerInput needs, plus what the saved one tells (read-only). */
type Row = TriggerInput & { saved?: TriggerRecord }

const toRow = (t: TriggerRecord): Row => ({
  kind: t.kind,
  enabled: t.enabled,
  events: t.events,
  deviceFilter: t.deviceFilter,
  everySeconds: t.everySeconds,
  cron: t.cron,
  target: t.target,
  saved: t,
})

const blank = (): Row => ({ kind: 'event', enabled: true, events: ['0 BOOTSTRAP'], deviceFilter: '' })

/** When the script runs by itself: on CWMP events from matching devices, or on a schedule. */
export function Triggers({ scriptId }: { scriptId: string }) {
  const loaded = useLoad(() => bench.scripts.triggers(scriptId), [scriptId])
  const [rows, setRows] = useState<Row[]>([])
  const [saving, setSaving] = useState(false)
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (loaded.data) setRows(loaded.data.map(toRow))
  }, [loaded.data])
  if (loaded.loading && !loaded.data) return <Spinner label="Loading triggers…" />

  const update = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const save = async () => {
    setSaving(true)
    setError(null)
    setNote(null)
    try {
      const saved = await bench.scripts.setTriggers(
        scriptId,
        rows.map(({ saved, ...input }) => ({ ...input, id: saved?.id })),
      )
      setRows(saved.map(toRow))
      setNote('Triggers saved.')
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <div className="triggers" data-testid="triggers">
      <ErrorNote error={loaded.error ?? error} />
      {rows.length === 0 && <p className="muted">No triggers: this script runs only when you press Run.</p>}
      {rows.map((t, i) => (
        <div key={i} className="card trigger" data-testid="trigger">
          <div className="trigger-row">
            <label className="check">
              <input
                type="checkbox"
                checked={t.enabled ?? true}
                onChange={(e) => update(i, { enabled: e.target.checked })}
              />{' '}
              Enabled
            </label>
            <label>
              Runs
              <select
                value={t.kind}
                onChange={(e) =>
                  update(
                    i,
                    e.target.value === 'schedule'
                      ? { kind: 'schedule', everySeconds: 3600, cron: null, target: { kind: 'all' } }
                      : { kind: 'event', events: ['0 BOOTSTRAP'] },
                  )
                }
              >
                <option value="event">on CWMP events</option>
                <option value="schedule">on a schedule</option>
              </select>
            </label>
            {t.kind === 'event' ? (
              <label>
                Devices (serials or globs like HUAW*; empty = any)
                <input value={t.deviceFilter ?? ''} onChange={(e) => update(i, { deviceFilter: e.target.value })} />
              </label>
            ) : (
              <>
                <label>
                  Every (seconds)
                  <input
                    type="number"
                    min={1}
                    value={t.everySeconds ?? ''}
                    onChange={(e) =>
                      update(i, {
                        everySeconds: e.target.value ? Number(e.target.value) : null,
                        cron: e.target.value ? null : t.cron,
                      })
                    }
                  />
                </label>
                <label>
                  or cron
                  <input
                    value={t.cron ?? ''}
                    placeholder="*/15 * * * *"
                    onChange={(e) =>
                      update(i, { cron: e.target.value || null, everySeconds: e.target.value ? null : t.everySeconds })
                    }
                  />
                </label>
                <label>
                  On
                  <select
                    value={t.target?.kind ?? 'all'}
                    onChange={(e) =>
                      update(i, {
                        target:
                          e.target.value === 'devices'
                            ? { kind: 'devices', serials: [] }
                            : { kind: e.target.value as 'all' | 'none' },
                      })
                    }
                  >
                    <option value="all">all devices</option>
                    <option value="devices">these devices</option>
                    <option value="none">no device</option>
                  </select>
                </label>
                {t.target?.kind === 'devices' && (
                  <label>
                    Serials
                    <input
                      value={t.target.serials.join(', ')}
                      onChange={(e) =>
                        update(i, {
                          target: { kind: 'devices', serials: e.target.value.split(/[\s,]+/).filter(Boolean) },
                        })
                      }
                    />
                  </label>
                )}
              </>
            )}
            <span className="spacer" />
            <button className="small danger" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
          {t.kind === 'event' && (
            <div className="chips">
              {EVENT_CODES.map((code) => {
                const events = t.events ?? []
                const on = events.includes(code)
                return (
                  <button
                    key={code}
                    className={on ? 'chip on' : 'chip'}
                    aria-pressed={on}
                    onClick={() => update(i, { events: on ? events.filter((c) => c !== code) : [...events, code] })}
                  >
                    {code}
                  </button>
                )
              })}
              {(t.events ?? []).length === 0 && <span className="muted small">no code chosen: any event fires it</span>}
            </div>
          )}
          {t.saved && (
            <div className="muted small">
              Last fired: {dateTime(t.saved.lastFiredAt)}
              {t.saved.nextAt ? ` · next: ${dateTime(t.saved.nextAt)}` : ''}
            </div>
          )}
        </div>
      ))}
      <div className="actions">
        <button onClick={() => setRows([...rows, blank()])} data-testid="trigger-add">
          Add trigger
        </button>
        <button className="primary" onClick={save} disabled={saving} data-testid="triggers-save">
          {saving ? <Spinner label="Saving…" /> : 'Save triggers'}
        </button>
      </div>
      {note && <Note kind="ok">{note}</Note>}
    </div>
  )
}
