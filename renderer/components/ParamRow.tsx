import { useState } from 'react'
import type { ParameterRecord } from '../../preload/api'
import { checkXsdValue } from '../../common/xsd'
import { ago, dateTime } from '../lib/format'
import { Spinner } from './ui'

export const ROW = 28

/** An instance of a multi-instance object: "….WANIPConnection.2." */
const INSTANCE = /\.\d+\.$/

const leafName = (name: string) => {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name
  return trimmed.slice(trimmed.lastIndexOf('.') + 1) + (name.endsWith('.') ? '.' : '')
}

/**
 * One row of the parameter tree: an object (refresh, add or delete an instance) or a parameter
 * with its value, edited in place; why a value cannot be sent, or what the device answered when
 * it refused it, shows under the value being edited.
 */
export function ParamRow(props: {
  p: ParameterRecord
  depth: number
  top: number
  flat: boolean
  expanded: boolean
  /** The row the arrow keys are on: the tree's one tab stop. */
  focused: boolean
  onFocus: () => void
  onKey: (e: React.KeyboardEvent<HTMLDivElement>) => void
  loading: boolean
  busy?: string
  note?: { ok: boolean; text: string }
  canSend: boolean
  onToggle: () => void
  onRefresh: () => void
  onAdd: () => void
  onDelete: () => void
  onApply: (value: string) => Promise<boolean>
  /** For the "read … ago" column, refreshed by the tree. */
  now: number
}) {
  const { p, depth, top } = props
  const [editing, setEditing] = useState<string | null>(null)
  /** The value the device just refused: its answer shows until the value is changed. */
  const [refused, setRefused] = useState<string | null>(null)
  const problem = editing === null ? null : checkXsdValue(p.type, editing)
  const editable = !p.object && p.writable === true && props.canSend
  const toggle = editable && p.type === 'xsd:boolean' ? booleanValues(p.value) : null
  /** The switch shows where it was flipped to while the device is asked (back if it refuses). */
  const [flipped, setFlipped] = useState<boolean | null>(null)
  const flip = async (on: boolean) => {
    if (!toggle) return
    setFlipped(on)
    await props.onApply(on ? toggle.trueValue : toggle.falseValue)
    setFlipped(null)
  }
  const submit = async () => {
    if (editing === null || problem) return
    if (await props.onApply(editing)) {
      setEditing(null)
      setRefused(null)
    } else setRefused(editing)
  }
  // Under the row being edited: why the value cannot be sent, or what the device answered.
  const message =
    editing === null
      ? null
      : problem
        ? { text: problem, kind: 'invalid' }
        : refused === editing && props.note && !props.note.ok && !props.busy
          ? { text: stripSubject(props.note.text, p.name), kind: 'refused' }
          : null
  return (
    <div
      className={`prow${p.object ? ' obj' : ''}${props.flat ? ' flat' : ''}${editing !== null ? ' editing' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW }}
      role="treeitem"
      aria-level={props.flat ? 1 : depth + 1}
      aria-expanded={p.object && !props.flat ? props.expanded : undefined}
      aria-selected={props.focused}
      aria-label={p.object ? p.name : `${p.name} = ${p.value ?? 'not read'}`}
      tabIndex={props.focused ? 0 : -1}
      onFocus={(e) => e.target === e.currentTarget && props.onFocus()}
      onKeyDown={(e) => e.target === e.currentTarget && props.onKey(e)}
      data-testid="parameter-row"
      data-name={p.name}
    >
      <span className="pname" style={{ paddingLeft: props.flat ? 8 : 8 + depth * 16 }} title={p.name}>
        {p.object ? (
          <button
            className="twisty"
            tabIndex={-1}
            onClick={props.onToggle}
            aria-expanded={props.expanded}
            data-testid="parameter-toggle"
          >
            {props.loading ? '…' : props.expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty-space" />
        )}
        {props.flat ? (
          // The leaf is what one looks for: when the name is too long, its path gives way first.
          <span className="mono pname-text" onClick={p.object ? props.onToggle : undefined}>
            <span className="muted pname-path">{p.name.slice(0, p.name.length - leafName(p.name).length)}</span>
            <span className="pname-leaf">{leafName(p.name)}</span>
          </span>
        ) : (
          <span className="mono pname-text" onClick={p.object ? props.onToggle : undefined}>
            {leafName(p.name)}
          </span>
        )}
      </span>
      <span className="pvalue">
        {p.object ? (
          props.canSend &&
          (props.busy ? (
            <Spinner label={props.busy} />
          ) : (
            <span className="obj-actions">
              <button className="link small" onClick={props.onRefresh} data-testid="parameter-refresh">
                refresh
              </button>
              {p.writable === true && !INSTANCE.test(p.name) && (
                <button className="link small" onClick={props.onAdd} data-testid="parameter-add-object">
                  add instance
                </button>
              )}
              {INSTANCE.test(p.name) && (
                <button className="link small danger" onClick={props.onDelete} data-testid="parameter-delete-object">
                  delete
                </button>
              )}
            </span>
          ))
        ) : toggle ? (
          <label className="switch" title={`${p.name}: ${p.value ?? 'not read'}`}>
            <input
              type="checkbox"
              role="switch"
              checked={flipped ?? toggle.on}
              disabled={Boolean(props.busy)}
              onChange={(e) => void flip(e.target.checked)}
              aria-label={`${leafName(p.name)} (${p.name})`}
              data-testid="parameter-switch"
            />
            <span className="switch-track" aria-hidden="true" />
            <span className="mono value" data-testid="parameter-value">
              {props.busy ? <Spinner label={props.busy} /> : (p.value ?? <span className="muted">(not read)</span>)}
            </span>
          </label>
        ) : editing !== null ? (
          <form
            className="inline-edit"
            onSubmit={(e) => {
              e.preventDefault()
              void submit()
            }}
          >
            <input
              autoFocus
              className={problem ? 'mono invalid' : 'mono'}
              value={editing}
              onChange={(e) => setEditing(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
              aria-invalid={Boolean(problem)}
              aria-label={`New value of ${p.name}`}
              data-testid="parameter-input"
            />
            <button
              type="submit"
              className="primary small"
              disabled={Boolean(problem) || Boolean(props.busy)}
              data-testid="parameter-apply"
            >
              {props.busy ? <Spinner /> : 'Set'}
            </button>
            <button type="button" className="small" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <span className="mono value" data-testid="parameter-value" title={p.value ?? ''}>
              {p.value === null ? (
                <span className="muted">(not read)</span>
              ) : p.value === '' ? (
                <span className="muted">(empty)</span>
              ) : (
                p.value
              )}
            </span>
            {editable && (
              <button className="link small" onClick={() => setEditing(p.value ?? '')} data-testid="parameter-edit">
                edit
              </button>
            )}
          </>
        )}
        {props.note && editing === null && (
          <span
            className={props.note.ok ? 'pnote ok' : 'pnote warn'}
            title={props.note.text}
            data-testid="parameter-note"
          >
            {props.note.ok ? '✓ ' : '⚠ '}
            {stripSubject(props.note.text, p.name)}
          </span>
        )}
      </span>
      {message && (
        <span
          className={`pmessage ${message.kind}`}
          role="alert"
          data-testid={message.kind === 'invalid' ? 'parameter-invalid' : 'parameter-refused'}
        >
          {message.text}
        </span>
      )}
      <span className="ptype muted mono">{p.object ? 'object' : (p.type ?? '').replace('xsd:', '')}</span>
      <span
        className="pw muted"
        title={p.writable === true ? 'writable' : p.writable === false ? 'read-only' : undefined}
      >
        {p.object ? '' : p.writable === true ? 'rw' : p.writable === false ? 'ro' : ''}
      </span>
      <span
        className="pread muted small"
        title={`Last read from the device: ${dateTime(p.updatedAt)}`}
        data-testid="parameter-read"
      >
        {ago(p.updatedAt, props.now)}
      </span>
    </div>
  )
}

/** "Set A.B.C: applied." shown on the row of A.B.C says "applied." — the row names it already. */
function stripSubject(text: string, name: string): string {
  for (const verb of ['Set ', 'Refresh ', 'Refreshed ', 'Add to ', 'Added ', 'Delete ', 'Deleted ']) {
    const prefix = `${verb}${name}: `
    if (text.startsWith(prefix)) return text.slice(prefix.length)
  }
  return text
}

/**
 * An xsd:boolean's switch: on for "true"/"1". What it sends keeps the device's own spelling
 * ("true"/"false" or "1"/"0"); a value never read is sent as "true"/"false".
 */
function booleanValues(value: string | null): { on: boolean; trueValue: string; falseValue: string } {
  const v = (value ?? '').trim().toLowerCase()
  const numeric = v === '1' || v === '0'
  return { on: v === 'true' || v === '1', trueValue: numeric ? '1' : 'true', falseValue: numeric ? '0' : 'false' }
}
