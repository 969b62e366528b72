import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ParameterRecord } from '../../preload/api'
import { bench } from '../lib/bench'
import { messageOf, useDebounced, useNow, useReconnected, useStream } from '../lib/hooks'
import { ParamRow, ROW } from './ParamRow'
import { Empty, ErrorNote, Note, Spinner } from './ui'
import { href } from '../lib/router'

interface Row {
  p: ParameterRecord
  depth: number
}

const parentOf = (name: string) => {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name
  return trimmed.slice(0, trimmed.lastIndexOf('.') + 1)
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
  /** The row the arrow keys are on (the tree's one tab stop); the first row until one is chosen. */
  const [focused, setFocused] = useState<string | null>(null)
  /** A key moved the focus: the new row takes the browser's focus once it is rendered. */
  const moved = useRef(false)
  const now = useNow(10_000)

  const load = useCallback(
    async (path: string) => {
      setLoading((s) => new Set(s).add(path))
      try {
        const list = await bench.devices.children(serial, path)
        setChildren((m) => new Map(m).set(path, list))
        setError(null)
        // One root object (InternetGatewayDevice. or Device.): open it, there is nothing else to see.
        const only = list[0]
        if (path === '' && list.length === 1 && only?.object && !openRef.current.has(only.name)) {
          setOpen((o) => new Set(o).add(only.name))
          void load(only.name)
        }
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

  const [searchTick, setSearchTick] = useState(0)
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
  }, [serial, query, searchTick])

  // Values that changed while the connection was down: read the open levels (and the search) again.
  useReconnected(() => {
    for (const path of openRef.current) if (path === '' || children.has(path)) void load(path)
    setSearchTick((t) => t + 1)
  })

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
      // The device took it: show the value now rather than after the store's update comes round.
      if (result.ok) {
        const update = (list: ParameterRecord[]) => list.map((x) => (x.name === p.name ? { ...x, value } : x))
        setResults((r) => r && update(r))
        setChildren((m) => {
          const parent = parentOf(p.name)
          const list = m.get(parent)
          return list ? new Map(m).set(parent, update(list)) : m
        })
      }
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
  const current = rows.some((r) => r.p.name === focused) ? focused : (rows[0]?.p.name ?? null)
  useEffect(() => {
    if (!moved.current || !current) return
    moved.current = false
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-name="${CSS.escape(current)}"]`)
    el?.focus()
  })
  /** Arrow keys as in a file tree: Up/Down move, Right opens (then enters), Left closes (then goes up). */
  const onKey = (e: React.KeyboardEvent, index: number) => {
    const row = rows[index]
    if (!row) return
    const { p } = row
    const go = (i: number) => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, i))]
      if (!target) return
      moved.current = true
      setFocused(target.p.name)
      virtualizer.scrollToIndex(Math.max(0, Math.min(rows.length - 1, i)))
    }
    const expandable = p.object && !results
    switch (e.key) {
      case 'ArrowDown':
        go(index + 1)
        break
      case 'ArrowUp':
        go(index - 1)
        break
      case 'Home':
        go(0)
        break
      case 'End':
        go(rows.length - 1)
        break
      case 'ArrowRight':
        if (!expandable) return
        if (!open.has(p.name)) toggle(p.name)
        else if (rows[index + 1] && rows[index + 1]!.depth > row.depth) go(index + 1)
        break
      case 'ArrowLeft':
        if (expandable && open.has(p.name)) toggle(p.name)
        else {
          const parent = rows.findIndex((r) => r.p.name === parentOf(p.name))
          if (parent >= 0) go(parent)
        }
        break
      case 'Enter':
      case ' ':
        if (!expandable) return
        toggle(p.name)
        break
      default:
        return
    }
    e.preventDefault()
  }
  const rootNote = notes.get('')
  const rootLoaded = children.has('')

  return (
    <div className="ptree" data-testid="parameter-tree">
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder="Search parameter names and values…"
          aria-label="Search this device's parameter names and values"
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
          {!rootNote.ok && /\b401\b/.test(rootNote.text) && (
            // A refused connection request: the two places its credentials are set.
            <span data-testid="credentials-fix">
              {' '}
              Fix it in <a href={href('settings')}>Settings → Connection requests</a> (every device) or on{' '}
              <a href={href('devices', serial, 'trust')}>this device&apos;s Trust tab</a>.
            </span>
          )}
        </Note>
      )}
      <ErrorNote error={error} onRetry={() => load('')} />
      {!rootLoaded && loading.has('') ? (
        <Spinner label="Loading parameters…" />
      ) : rows.length === 0 ? (
        results ? (
          <Empty title={`No stored parameter matches “${query}”.`} testId="parameters-search-empty">
            The search looks through what has been read from this device so far.
            {canSend && ' Use “Refresh all from device” to read its whole tree, then search again.'}
          </Empty>
        ) : (
          <Empty title="No parameters stored for this device yet." testId="parameters-empty">
            {canSend
              ? 'Use “Refresh all from device” to read its whole tree (GetParameterNames + GetParameterValues).'
              : 'They appear as the device informs.'}
          </Empty>
        )
      ) : (
        <div
          className="tbody ptree-body"
          ref={scrollRef}
          role="tree"
          aria-label={results ? `Parameters matching ${query}` : `Parameters of ${serial}`}
          data-testid="parameter-tree-body"
        >
          {/* One row of room at the end, for the message under a value edited in the last row. */}
          <div style={{ height: virtualizer.getTotalSize() + ROW, position: 'relative' }}>
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
                  focused={p.name === current}
                  onFocus={() => setFocused(p.name)}
                  onKey={(e) => onKey(e, item.index)}
                  now={now}
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
