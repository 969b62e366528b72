import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ParameterRecord } from '../../preload/api'
import { checkXsdValue } from '../../main/core/cwmp/xsd'
import { bench } from '../lib/bench'
import { ago } from '../lib/format'
import { messageOf, useDebounced, useStream } from '../lib/hooks'
import { Empty, ErrorNote, Note, Spinner } from './ui'

const ROW = 28

interface Row {
  p: ParameterRecord
  depth: number
}

/** An instance of a multi-instance object: "….WANIPConnection.2." */
const INSTANCE = /\.\d+\.$/

const parentOf = (name: string) => {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name
  return trimmed.slice(0, trimmed.lastIndexOf('.') + 1)
}

const leafName = (name: string) => {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name
  return trimmed.slice(trimmed.lastIndexOf('.') + 1) + (name.endsWith('.') ? '.' : '')
}

/**
 * The device's parameter tree as stored, loaded one level at a time (GenieACS-style), flattened
 * into one virtual list. Writable values are edited in place and sent as SetParameterValues.
 */
export function ParameterTree({ serial, canSend }: { serial: string; canSend: boolean }) {
  const [children, setChildren] = useState<Map<string, ParameterRecord[]>>(new Map())
  const [open, setOpen] = useState<Set<string>>(new Set(['']))
  const [loading, setLoading] = useState<Set<string>>(new Set())
  const [error, setError] = useState<string | null>(null)
  const [search, setSearch] = useState('')
  const query = useDebounced(search.trim(), 200)
  const [results, setResults] = useState<ParameterRecord[] | null>(null)
  const [busy, setBusy] = useState<Map<string, string>>(new Map())
  const [notes, setNotes] = useState<Map<string, { ok: boolean; text: string }>>(new Map())
  const openRef = useRef(open)
  openRef.current = open

  const load = useCallback(
    async (path: string) => {
      setLoading((s) => new Set(s).add(path))
      try {
        const list = await bench.devices.children(serial, path)
        setChildren((m) => new Map(m).set(path, list))
        setError(null)
      } catch (e) {
        setError(messageOf(e))
      } finally {
        setLoading((s) => {
          const n = new Set(s)
          n.delete(path)
          return n
        })
      }
    },
    [serial],
  )

  useEffect(() => {
    setChildren(new Map())
    setOpen(new Set(['']))
    void load('')
  }, [load])

  useEffect(() => {
    if (!query) {
      setResults(null)
      return
    }
    let live = true
    bench.devices.searchParameters(serial, query).then(
      (r) => live && setResults(r),
      (e: unknown) => live && setError(messageOf(e)),
    )
    return () => {
      live = false
    }
  }, [serial, query])

  // The store changed under us (a refresh, a set, an Inform): reload the open levels it touched.
  useStream('parameters.updated', (batch) => {
    const mine = batch.filter((b) => b.serial === serial)
    if (mine.length === 0) return
    const touched = new Set<string>()
    for (const b of mine) {
      for (const name of [...b.names, ...b.removedPrefixes]) {
        for (const path of openRef.current) if (name.startsWith(path)) touched.add(path)
      }
    }
    for (const path of touched) void load(path)
    if (query) bench.devices.searchParameters(serial, query).then(setResults, () => {})
  })

  const toggle = (path: string) => {
    const next = new Set(open)
    if (next.has(path)) next.delete(path)
    else {
      next.add(path)
      if (!children.has(path)) void load(path)
    }
    setOpen(next)
  }

  const setBusyFor = (name: string, label: string | null) =>
    setBusy((m) => {
      const n = new Map(m)
      if (label) n.set(name, label)
      else n.delete(name)
      return n
    })
  const note = (name: string, ok: boolean, text: string) => setNotes((m) => new Map(m).set(name, { ok, text }))

  const refresh = async (path: string) => {
    setBusyFor(path, 'Refreshing…')
    try {
      const result = await bench.devices.refresh(serial, path)
      note(path, result.ok, result.message)
      await load(path)
    } catch (e) {
      note(path, false, messageOf(e))
    } finally {
      setBusyFor(path, null)
    }
  }

  const objectAction = async (p: ParameterRecord, kind: 'add' | 'delete') => {
    if (kind === 'delete' && !window.confirm(`Delete ${p.name} on the device?`)) return
    setBusyFor(p.name, kind === 'add' ? 'Adding…' : 'Deleting…')
    try {
      const result =
        kind === 'add'
          ? await bench.devices.addObject(serial, p.name)
          : await bench.devices.deleteObject(serial, p.name)
      note(kind === 'add' ? p.name : parentOf(p.name), result.ok, result.message)
      if (result.ok && kind === 'add') {
        setOpen((o) => new Set(o).add(p.name))
        await load(p.name)
      }
    } catch (e) {
      note(p.name, false, messageOf(e))
    } finally {
      setBusyFor(p.name, null)
    }
  }

  const apply = async (p: ParameterRecord, value: string): Promise<boolean> => {
    setBusyFor(p.name, 'Setting…')
    try {
      const result = await bench.devices.setParameters(serial, [{ name: p.name, value, type: p.type ?? undefined }])
      note(p.name, result.ok, result.message)
      return result.ok
    } catch (e) {
      note(p.name, false, messageOf(e))
      return false
    } finally {
      setBusyFor(p.name, null)
    }
  }

  const rows: Row[] = []
  if (results) for (const p of results) rows.push({ p, depth: 0 })
  else {
    const walk = (path: string, depth: number) => {
      for (const p of children.get(path) ?? []) {
        rows.push({ p, depth })
        if (p.object && open.has(p.name)) walk(p.name, depth + 1)
      }
    }
    walk('', 0)
  }

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
  })
  const rootNote = notes.get('')
  const rootLoaded = children.has('')

  return (
    <div className="ptree" data-testid="parameter-tree">
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder="Search parameter names and values…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="parameter-search"
        />
        <button onClick={() => refresh('')} disabled={!canSend || busy.has('')} data-testid="refresh-all">
          {busy.has('') ? <Spinner label="Refreshing the whole tree…" /> : 'Refresh all from device'}
        </button>
      </div>
      {rootNote && (
        <Note kind={rootNote.ok ? 'ok' : 'warn'} testId="tree-note">
          {rootNote.text}
        </Note>
      )}
      <ErrorNote error={error} onRetry={() => load('')} />
      {!rootLoaded && loading.has('') ? (
        <Spinner label="Loading parameters…" />
      ) : rows.length === 0 ? (
        results ? (
          <Empty title="No parameter matches." />
        ) : (
          <Empty title="No parameters stored for this device yet." testId="parameters-empty">
            {canSend
              ? 'Use “Refresh all from device” to read its whole tree (GetParameterNames + GetParameterValues).'
              : 'They appear as the device informs.'}
          </Empty>
        )
      ) : (
        <div className="tbody ptree-body" ref={scrollRef}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const { p, depth } = rows[item.index]!
              return (
                <ParamRow
                  key={p.name}
                  p={p}
                  depth={depth}
                  top={item.start}
                  flat={Boolean(results)}
                  expanded={open.has(p.name)}
                  loading={loading.has(p.name)}
                  busy={busy.get(p.name)}
                  note={notes.get(p.name)}
                  canSend={canSend}
                  onToggle={() => toggle(p.name)}
                  onRefresh={() => refresh(p.name)}
                  onAdd={() => objectAction(p, 'add')}
                  onDelete={() => objectAction(p, 'delete')}
                  onApply={(v) => apply(p, v)}
                />
              )
            })}
          </div>
        </div>
      )}
    </div>
  )
}

function ParamRow(props: {
  p: ParameterRecord
  depth: number
  top: number
  flat: boolean
  expanded: boolean
  loading: boolean
  busy?: string
  note?: { ok: boolean; text: string }
  canSend: boolean
  onToggle: () => void
  onRefresh: () => void
  onAdd: () => void
  onDelete: () => void
  onApply: (value: string) => Promise<boolean>
}) {
  const { p, depth, top } = props
  const [editing, setEditing] = useState<string | null>(null)
  const problem = editing === null ? null : checkXsdValue(p.type, editing)
  const editable = !p.object && p.writable === true && props.canSend
  const submit = async () => {
    if (editing === null || problem) return
    if (await props.onApply(editing)) setEditing(null)
  }
  return (
    <div
      className={`prow${p.object ? ' obj' : ''}${props.flat ? ' flat' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW }}
      data-testid="parameter-row"
      data-name={p.name}
    >
      <span className="pname" style={{ paddingLeft: props.flat ? 8 : 8 + depth * 16 }} title={p.name}>
        {p.object ? (
          <button
            className="twisty"
            onClick={props.onToggle}
            aria-expanded={props.expanded}
            data-testid="parameter-toggle"
          >
            {props.loading ? '…' : props.expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty-space" />
        )}
        <span className="mono" onClick={p.object ? props.onToggle : undefined}>
          {props.flat ? (
            <>
              <span className="muted">{p.name.slice(0, p.name.length - leafName(p.name).length)}</span>
              {leafName(p.name)}
            </>
          ) : (
            leafName(p.name)
          )}
        </span>
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
            {problem && (
              <span className="invalid-text" data-testid="parameter-invalid">
                {problem}
              </span>
            )}
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
            {props.note.text}
          </span>
        )}
      </span>
      <span className="ptype muted mono">{p.object ? 'object' : (p.type ?? '').replace('xsd:', '')}</span>
      <span className="pw muted" title={`updated ${ago(p.updatedAt)}`}>
        {p.object ? '' : p.writable === true ? 'rw' : p.writable === false ? 'ro' : ''}
      </span>
    </div>
  )
}
