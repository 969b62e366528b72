import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import type { DeviceQuery, ProvisioningState } from '../../preload/api'
import { Empty, ErrorNote, PageHeader, Spinner, StatusBadge } from '../components/ui'
import { useAcsUrl, useApp } from '../lib/context'
import { ago, dateTime } from '../lib/format'
import { useDebounced, useNow, useStream } from '../lib/hooks'
import { usePagedDevices } from '../lib/paged'
import { useProvisioningStates } from '../lib/provisioning'
import { href } from '../lib/router'

type Sort = NonNullable<DeviceQuery['sort']>
const HEADERS: [Sort, string][] = [
  ['serial', 'Serial'],
  ['manufacturer', 'Vendor'],
  ['model', 'Model'],
  ['softwareVersion', 'Software'],
  ['ip', 'IP'],
  ['status', 'Status'],
  ['lastInform', 'Last inform'],
]
const ROW = 32
// Narrow minimums so the columns fit from Electron's 900 px window up; a column added here that makes
// them overflow still scrolls header and rows together (syncHeader below).
const COLUMNS =
  'minmax(130px,1.4fr) minmax(70px,1fr) minmax(70px,1fr) minmax(80px,1fr) minmax(90px,120px) 100px minmax(80px,110px) 90px'

export function DevicesPage() {
  const [text, setText] = useState('')
  const [status, setStatus] = useState<'' | '0' | '1' | '2'>('')
  const [provisioning, setProvisioning] = useState<'' | ProvisioningState>('')
  const provisioned = useProvisioningStates()
  const search = useDebounced(text, 150)
  const [sort, setSort] = useState<{ by: Sort; descending: boolean }>({ by: 'serial', descending: false })
  const query = {
    text: search || undefined,
    status: status === '' ? undefined : (Number(status) as 0 | 1 | 2),
    provisioning: provisioning || undefined,
    sort: sort.by,
    descending: sort.descending,
  }
  const sortBy = (by: Sort) =>
    setSort((s) => (s.by === by ? { by, descending: !s.descending } : { by, descending: by === 'lastInform' }))
  const list = usePagedDevices(query)
  const now = useNow(5000)
  const acsUrl = useAcsUrl()
  const { acs } = useApp()
  useStream('devices.updated', list.applyUpdates)

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

  const filtered = Boolean(search) || status !== '' || provisioning !== ''
  return (
    <div className="page">
      <PageHeader title="Devices">
        <span className="muted" data-testid="device-count">
          {list.total === null ? '' : `${list.total.toLocaleString()} ${filtered ? 'matching' : 'devices'}`}
        </span>
      </PageHeader>
      <div className="toolbar">
        <input
          className="search"
          type="search"
          placeholder="Search serial, vendor, model, version, IP…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="device-search"
          autoFocus
        />
        <select
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
          data-testid="device-status-filter"
        >
          <option value="">Any status</option>
          <option value="2">Online</option>
          <option value="1">In session</option>
          <option value="0">Offline</option>
        </select>
        <select
          value={provisioning}
          onChange={(e) => setProvisioning(e.target.value as typeof provisioning)}
          aria-label="Provisioning"
          data-testid="device-provisioning-filter"
        >
          <option value="">Any provisioning</option>
          <option value="pending">Provisioning pending</option>
          <option value="done">Provisioning done</option>
          <option value="failed">Provisioning failed</option>
        </select>
      </div>
      <ErrorNote error={list.error} onRetry={list.refresh} />
      <div className="table" role="table" aria-label="Devices">
        <div className="thead" role="row" ref={headRef} style={{ gridTemplateColumns: COLUMNS }}>
          {HEADERS.map(([by, label]) => (
            <button
              key={by}
              className={sort.by === by ? 'th sorted' : 'th'}
              onClick={() => sortBy(by)}
              aria-sort={sort.by === by ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              data-testid={`device-sort-${by}`}
            >
              {label}
              {sort.by === by && <span className="sort-mark">{sort.descending ? ' ↓' : ' ↑'}</span>}
            </button>
          ))}
          {/* From the profiles' runs, not the device table: filtered, not sorted. */}
          <span className="th">Provisioning</span>
        </div>
        {list.total === null && !list.error ? (
          <div className="table-loading">
            <Spinner label="Loading devices…" />
          </div>
        ) : list.total === 0 ? (
          filtered ? (
            <Empty title="No device matches." testId="devices-empty">
              Clear the search, the status or the provisioning filter to see every device.
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
                  <a
                    key={item.index}
                    className="tr"
                    role="row"
                    href={d ? href('devices', d.serial) : undefined}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW, gridTemplateColumns: COLUMNS }}
                    data-testid={d ? 'device-row' : 'device-row-loading'}
                    data-serial={d?.serial}
                  >
                    {d ? (
                      <>
                        <span className="mono strong" title={d.alias || d.serial}>
                          {d.serial}
                          {d.alias && <span className="muted"> · {d.alias}</span>}
                        </span>
                        <span title={d.manufacturer}>{d.manufacturer || '—'}</span>
                        <span title={d.productClass}>{d.model || d.productClass || '—'}</span>
                        <span className="mono">{d.softwareVersion || '—'}</span>
                        <span className="mono">{d.ip || '—'}</span>
                        <span>
                          <StatusBadge status={d.status} />
                        </span>
                        <span title={dateTime(d.lastInform)}>{ago(d.lastInform, now)}</span>
                        <span data-testid="device-provisioning">
                          {provisioned[d.serial] ? (
                            <span className={`badge prov-${provisioned[d.serial]}`}>{provisioned[d.serial]}</span>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </span>
                      </>
                    ) : (
                      <span className="muted">…</span>
                    )}
                  </a>
                )
              })}
            </div>
          </div>
        )}
      </div>
    </div>
  )
}
