import { createContext, useContext } from 'react'
import type { AcsStatus, AppInfo } from '../../preload/api'

export interface AppState {
  info: AppInfo | null
  acs: AcsStatus | null
  /**
   * The connection to the server is lost, or back but not read again yet: what the page shows of
   * devices, the ACS and runs may have changed meanwhile, so live states show as unknown.
   */
  stale: boolean
}

export const AppContext = createContext<AppState>({ info: null, acs: null, stale: false })

export const useApp = () => useContext(AppContext)

/** The ACS URL to tell a technician to use: the first LAN address, else a placeholder. */
export function useAcsUrl(): string {
  const { acs } = useApp()
  return acs?.urls[0] ?? `http://<this-computer's-IP>:${acs?.port ?? 7547}/`
}
