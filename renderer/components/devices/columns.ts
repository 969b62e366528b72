import { useState } from 'react'
import { DEVICE_COLUMNS, type DeviceColumn, type DeviceQuery } from '../../../preload/api'

export type Sort = NonNullable<DeviceQuery['sort']>

export interface ColumnDef {
  id: DeviceColumn
  label: string
  /** Grid track; minimums narrow enough for the default set to fit at 900 px. */
  width: string
  /** Sorted by the store; the others (alias, tags, provisioning) are not. */
  sort?: Sort
}

export const COLUMN_DEFS: Record<DeviceColumn, ColumnDef> = {
  serial: { id: 'serial', label: 'Serial', width: 'minmax(120px,1.4fr)', sort: 'serial' },
  alias: { id: 'alias', label: 'Alias', width: 'minmax(70px,1fr)' },
  tags: { id: 'tags', label: 'Tags', width: 'minmax(56px,1fr)' },
  manufacturer: { id: 'manufacturer', label: 'Vendor', width: 'minmax(64px,1fr)', sort: 'manufacturer' },
  model: { id: 'model', label: 'Model', width: 'minmax(64px,1fr)', sort: 'model' },
  softwareVersion: { id: 'softwareVersion', label: 'Software', width: 'minmax(70px,1fr)', sort: 'softwareVersion' },
  ip: { id: 'ip', label: 'IP', width: 'minmax(80px,120px)', sort: 'ip' },
  status: { id: 'status', label: 'Status', width: '88px', sort: 'status' },
  lastInform: { id: 'lastInform', label: 'Last inform', width: 'minmax(76px,110px)', sort: 'lastInform' },
  provisioning: { id: 'provisioning', label: 'Provisioning', width: '84px' },
}

/** The alias shows beside the serial unless it has its own column. */
const DEFAULT_HIDDEN: DeviceColumn[] = ['alias']
const STORAGE_KEY = 'bench.devices.columns'
/** The checkbox column in front of the chosen ones. */
export const SELECT_WIDTH = '20px'

function load(): DeviceColumn[] {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown
    if (Array.isArray(saved)) {
      const valid = DEVICE_COLUMNS.filter((c) => saved.includes(c))
      if (valid.includes('serial')) return valid
    }
  } catch {
    // An unreadable choice falls back to the default.
  }
  return DEVICE_COLUMNS.filter((c) => !DEFAULT_HIDDEN.includes(c))
}

/** The columns the technician chose, in the list's order, kept in this browser (localStorage). */
export function useColumns() {
  const [shown, setShown] = useState<DeviceColumn[]>(load)
  const toggle = (column: DeviceColumn) => {
    if (column === 'serial') return
    setShown((now) => {
      const next = DEVICE_COLUMNS.filter((c) => (c === column ? !now.includes(c) : now.includes(c)))
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next))
      return next
    })
  }
  const template = [SELECT_WIDTH, ...shown.map((c) => COLUMN_DEFS[c].width)].join(' ')
  return { shown, toggle, template }
}
