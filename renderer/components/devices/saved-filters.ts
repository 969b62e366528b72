import { useState } from 'react'
import type { ProvisioningState } from '../../../preload/api'

/** What the device list's toolbar filters on, as the technician set it. */
export interface ListFilter {
  text: string
  status: '' | '0' | '1' | '2'
  provisioning: '' | ProvisioningState
  tag: string
}

export const NO_FILTER: ListFilter = { text: '', status: '', provisioning: '', tag: '' }

export interface SavedFilter extends ListFilter {
  name: string
}

const STORAGE_KEY = 'bench.devices.filters'
const MAX_SAVED = 50

function load(): SavedFilter[] {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown
    if (!Array.isArray(saved)) return []
    return saved
      .filter((f): f is SavedFilter => typeof f === 'object' && f !== null && typeof f.name === 'string')
      .map((f) => ({
        name: f.name,
        text: typeof f.text === 'string' ? f.text : '',
        status: ['', '0', '1', '2'].includes(f.status) ? f.status : '',
        provisioning: ['', 'pending', 'done', 'failed'].includes(f.provisioning) ? f.provisioning : '',
        tag: typeof f.tag === 'string' ? f.tag : '',
      }))
  } catch {
    return []
  }
}

/** Named filters, kept in this browser (localStorage); saving a name again replaces it. */
export function useSavedFilters() {
  const [saved, setSaved] = useState<SavedFilter[]>(load)
  const write = (next: SavedFilter[]) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next))
    setSaved(next)
  }
  return {
    saved,
    save: (name: string, filter: ListFilter) =>
      write([...saved.filter((f) => f.name !== name), { ...filter, name }].slice(-MAX_SAVED)),
    remove: (name: string) => write(saved.filter((f) => f.name !== name)),
  }
}
