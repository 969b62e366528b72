import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import type { DeviceQuery, DeviceSelection } from '../../preload/api'
import { BulkBar } from '../components/devices/BulkBar'
import { COLUMN_DEFS, useColumns, type Sort } from '../components/devices/columns'
import { DeviceCell } from '../components/devices/DeviceCells'
import { ColumnChooser, ExportCsv, SavedFilters } from '../components/devices/ListTools'
import { ProfileRuns } from '../components/devices/ProfileRuns'
import { NO_FILTER, useSavedFilters, type ListFilter } from '../components/devices/saved-filters'
import '../components/devices/devices.css'
import { Batches } from '../components/scripts/Batches'
import { Empty, ErrorNote, PageHeader, Spinner } from '../components/ui'
import { bench } from '../lib/bench'
import { useAcsUrl, useApp } from '../lib/context'
import { useDebounced, useLoad, useNow, useStream } from '../lib/hooks'
import { usePagedDevices } from '../lib/paged'
import { useProvisioningStates } from '../lib/provisioning'
import { href, navigate } from '../lib/router'

const ROW = 32

export function DevicesPage() {
  const [filter, setFilter] = useState<ListFilter>(NO_FILTER)
  const set = (patch: Partial<ListFilter>) => setFilter((f) => ({ ...f, ...patch }))
  const provisioned = useProvisioningStates()
  const search = useDebounced(filter.text, 150)
  const [sort, setSort] = useState<{ by: Sort; descending: boolean }>({ by: 'serial', descending: false })
  const query: DeviceQuery = {
    text: search || undefined,
    status: filter.status === '' ? undefined : (Number(filter.status) as 0 | 1 | 2),
    provisioning: filter.provisioning || undefined,
    tag: filter.tag || undefined,
    sort: sort.by,
    descending: sort.descending,
  }
  const queryKey = JSON.stringify(query)
  const sortBy = (by: Sort) =>
    setSort((s) => (s.by === by ? { by, descending: !s.descending } : { by, descending: by === 'lastInform' }))
  const list = usePagedDevices(query)
  const now = useNow(5000)
  const acsUrl = useAcsUrl()
  const { acs } = useApp()
  const columns = useColumns()
  const saved = useSavedFilters()
  const [tagsVersion, setTagsVersion] = useState(0)
  const tags = useLoad(() => bench.devices.tags(), [tagsVersion])
  useStream('devices.updated', list.applyUpdates)

  // Selection: rows picked one by one, or every device the filter matches (resolved by the server).
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const [allMatching, setAllMatching] = useState(false)
  const [batchIds, setBatchIds] = useState<string[]>([])
  const [profileBatches, setProfileBatches] = useState<{ profile: string; ids: string[] }[]>([])
  useEffect(() => {
    setPicked(new Set())
    setAllMatching(false)
  }, [queryKey])
  const selectedCount = allMatching ? (list.total ?? 0) : picked.size
  const selection: DeviceSelection = allMatching ? { query } : { serials: [...picked] }

  const scrollRef = useRef<HTMLDivElement>(null)
  const headRef = useRef<HTMLDivElement>(null)
  /** The header follows the rows when they scroll sideways, so their columns never part. */
  const syncHeader = () => {
    if (headRef.current && scrollRef.current) headRef.current.scrollLeft = scrollRef.current.scrollLeft
  }
  const virtualizer = useVirtualizer({
    count: list.total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 15,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0
  useEffect(() => {
    if (list.total) list.ensure(first, last)
  }, [first, last, list.total, list.ensure])

  const visible = items.map((i) => list.row(i.index)?.serial).filter((s): s is string => Boolean(s))
  const visibleAllPicked = visible.length > 0 && visible.every((s) => picked.has(s))
  const toggleVisible = () => {
    if (allMatching) {
      setAllMatching(false)
      setPicked(new Set())
      return
    }
    setPicked((p) => {
      const next = new Set(p)
      for (const s of visible) {
        if (visibleAllPicked) next.delete(s)
        else next.add(s)
      }
      return next
    })
  }
  const toggle = (serial: string) =>
    setPicked((p) => {
      const next = new Set(p)
      if (next.has(serial)) next.delete(serial)
      else next.add(serial)
      return next
    })
  const clearSelection = () => {
    setAllMatching(false)
    setPicked(new Set())
  }

  const filtered = Boolean(search) || filter.status !== '' || filter.provisioning !== '' || filter.tag !== ''
  const total = list.total ?? 0
  const template = columns.template
  return (
    <div className="page">
      <PageHeader title="Devices">
        <span className="muted" data-testid="device-count">
          {list.total === null ? '' : `${list.total.toLocaleString()} ${filtered ? 'matching' : 'devices'}`}
        </span>
      </PageHeader>
      <div className="toolbar wrap">
        <input
          className="search"
          type="search"
          placeholder="Search serial, alias, vendor, model, version, IP…"
          aria-label="Search devices"
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
          data-testid="device-search"
          autoFocus
        />
        <select
          value={filter.status}
          onChange={(e) => set({ status: e.target.value as ListFilter['status'] })}
          aria-label="Status"
          data-testid="device-status-filter"
        >
          <option value="">Any status</option>
          <option value="2">Online</option>
          <option value="1">In session</option>
          <option value="0">Offline</option>
        </select>
        <select
          value={filter.provisioning}
          onChange={(e) => set({ provisioning: e.target.value as ListFilter['provisioning'] })}
          aria-label="Provisioning"
          data-testid="device-provisioning-filter"
        >
          <option value="">Any provisioning</option>
          <option value="pending">Provisioning pending</option>
          <option value="done">Provisioning done</option>
          <option value="failed">Provisioning failed</option>
        </select>
        <select
          value={filter.tag}
          onChange={(e) => set({ tag: e.target.value })}
          aria-label="Tag"
          data-testid="device-tag-filter"
        >
          <option value="">Any tag</option>
          {filter.tag && !(tags.data ?? []).some((t) => t.tag === filter.tag) && (
            <option value={filter.tag}>{filter.tag} (0)</option>
          )}
          {(tags.data ?? []).map((t) => (
            <option key={t.tag} value={t.tag}>
              {t.tag} ({t.devices})
            </option>
          ))}
        </select>
        <SavedFilters saved={saved.saved} current={filter} apply={setFilter} save={saved.save} remove={saved.remove} />
        <span className="spacer" />
        <ColumnChooser shown={columns.shown} toggle={columns.toggle} />
        <ExportCsv query={query} columns={columns.shown} />
      </div>
      {selectedCount > 0 && (
        <>
          <div className="selection-note" data-testid="selection-note">
            <span data-testid="selection-count">
              {allMatching
                ? `All ${total.toLocaleString('en')} matching devices selected.`
                : `${picked.size.toLocaleString('en')} selected.`}
            </span>
            {!allMatching && total > picked.size && (
              <button className="link-button" onClick={() => setAllMatching(true)} data-testid="select-all-matching">
                Select all {total.toLocaleString('en')} {filtered ? 'matching this filter' : 'devices'}
              </button>
            )}
            <button className="link-button" onClick={clearSelection} data-testid="selection-clear">
              Clear the selection
            </button>
          </div>
          <BulkBar
            selection={selection}
            count={selectedCount}
            onStarted={(result, action) => {
              const { batchId, profileRunIds } = result
              if (batchId) setBatchIds((ids) => [batchId, ...ids])
              if (action.kind === 'profile' && profileRunIds?.length)
                setProfileBatches((b) => [{ profile: action.profile, ids: profileRunIds }, ...b].slice(0, 5))
              setTagsVersion((v) => v + 1)
              list.refresh()
            }}
          />
        </>
      )}
      {batchIds.length > 0 && <Batches only={batchIds} />}
      {profileBatches.map((b) => (
        <ProfileRuns key={b.ids[0]} profile={b.profile} ids={b.ids} />
      ))}
      <ErrorNote error={list.error} onRetry={list.refresh} />
      <div className="table" role="table" aria-label="Devices">
        <div className="thead" role="row" ref={headRef} style={{ gridTemplateColumns: template }}>
          <span className="select-cell" role="columnheader">
            <input
              type="checkbox"
              checked={allMatching || visibleAllPicked}
              onChange={toggleVisible}
              aria-label="Select the devices on screen"
              disabled={visible.length === 0}
              data-testid="select-visible"
            />
          </span>
          {columns.shown.map((c) => {
            const def = COLUMN_DEFS[c]
            const by = def.sort
            // Alias, tags and provisioning are not columns of the device table: filtered, not sorted.
            if (!by)
              return (
                <span key={c} className="th" role="columnheader">
                  {def.label}
                </span>
              )
            return (
              <button
                key={c}
                role="columnheader"
                className={sort.by === by ? 'th sorted' : 'th'}
                onClick={() => sortBy(by)}
                aria-sort={sort.by === by ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                data-testid={`device-sort-${by}`}
              >
                {def.label}
                {sort.by === by && <span className="sort-mark">{sort.descending ? ' ↓' : ' ↑'}</span>}
              </button>
            )
          })}
        </div>
        {list.total === null && !list.error ? (
          <div className="table-loading">
            <Spinner label="Loading devices…" />
          </div>
        ) : list.total === 0 ? (
          filtered ? (
            <Empty title="No device matches." testId="devices-empty">
              Clear the search, the status, the provisioning or the tag filter to see every device.
            </Empty>
          ) : acs && !acs.listening ? (
            <Empty title="No devices yet." testId="devices-empty">
              The ACS is not listening, so no CPE can reach it:{' '}
              <a href={href('settings')}>pick a free port in Settings</a>, then point your CPE&apos;s ACS URL at it.
            </Empty>
          ) : (
            <Empty title="No devices yet." testId="devices-empty">
              Point your CPE&apos;s ACS URL at <code className="mono">{acsUrl}</code> — it appears here with its first
              Inform. No hardware at hand? <a href={href('simulator')}>Start simulated CPEs</a>.
            </Empty>
          )
        ) : (
          <div className="tbody" ref={scrollRef} onScroll={syncHeader} data-testid="device-table">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const d = list.row(item.index)
                return (
                  <div
                    key={item.index}
                    className="tr"
                    role="row"
                    onClick={d ? () => navigate('devices', d.serial) : undefined}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW, gridTemplateColumns: template }}
                    data-testid={d ? 'device-row' : 'device-row-loading'}
                    data-serial={d?.serial}
                  >
                    {d ? (
                      <>
                        <span className="select-cell" role="cell" onClick={(e) => e.stopPropagation()}>
                          <input
                            type="checkbox"
                            checked={allMatching || picked.has(d.serial)}
                            disabled={allMatching}
                            onChange={() => toggle(d.serial)}
                            aria-label={`Select ${d.serial}`}
                            title={allMatching ? 'Clear the selection to pick devices one by one' : undefined}
                            data-testid="device-select"
                          />
                        </span>
                        {columns.shown.map((c) => (
                          <DeviceCell
                            key={c}
                            column={c}
                            d={d}
                            now={now}
                            provisioning={provisioned[d.serial]}
                            aliasShown={columns.shown.includes('alias')}
                          />
                        ))}
                      </>
                    ) : (
                      <span className="muted">…</span>
                    )}
                  </div>
                )
              })}
            </div>
          </div>
        )}
      </div>
    </div>
  )
}
