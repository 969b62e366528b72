import type { BrowserWindowConstructorOptions } from 'electron'
import { CSP } from '../../common/csp'

export { CSP }

/** The one window's settings: Electron's security checklist, all of it. */
export function windowOptions(preload: string, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Bench ACS',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  }
}

/** True for a URL of our renderer: the built file, or the dev server in `electron-vite dev`. */
export function rendererMatcher(rendererUrl: string): (url: string) => boolean {
  const base = new URL(rendererUrl)
  return (url: string) => {
    try {
      const u = new URL(url)
      if (base.protocol === 'file:') return u.protocol === 'file:' && u.pathname === base.pathname
      return u.origin === base.origin
    } catch {
      return false
    }
  }
}
