import { createContext, useContext } from 'react'
import type { AcsStatus, AppInfo } from '../../preload/api'

export const AppContext = createContext<{ info: AppInfo | null; acs: AcsStatus | null }>({ info: null, acs: null })

export const useApp = () => useContext(AppContext)

/** The ACS URL to tell a technician to use: the first LAN address, else a placeholder. */
export function useAcsUrl(): string {
  const { acs } = useApp()
  return acs?.urls[0] ?? `http://<this-computer's-IP>:${acs?.port ?? 7547}/`
}
