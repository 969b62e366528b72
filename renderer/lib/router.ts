import { useEffect, useState } from 'react'

/** Hash routes (#/devices/SN1): in-page, so Electron's navigation guard never sees them. */
export type Route =
  | { page: 'devices' }
  | { page: 'device'; serial: string; tab: string }
  | { page: 'scripts'; id?: string }
  | { page: 'events' }
  | { page: 'simulator' }
  | { page: 'sync' }
  | { page: 'settings' }
  | { page: 'files' }
  | { page: 'profiles' }
  /** An address that cannot be read (a malformed %-escape, pasted or typed): shown, not thrown. */
  | { page: 'not-found'; address: string }

export function parseRoute(hash: string): Route {
  let parts: string[]
  try {
    parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent)
  } catch {
    // decodeURIComponent throws URIError on "%E0%A4%A" and the like; a throw here would take the
    // whole page down on every render.
    return { page: 'not-found', address: hash }
  }
  switch (parts[0]) {
    case 'devices':
      return parts[1] ? { page: 'device', serial: parts[1], tab: parts[2] ?? 'parameters' } : { page: 'devices' }
    case 'scripts':
      return { page: 'scripts', id: parts[1] || undefined }
    case 'events':
    case 'simulator':
    case 'sync':
    case 'settings':
    case 'files':
    case 'profiles':
      return { page: parts[0] }
    default:
      return { page: 'devices' }
  }
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/')
}

export function navigate(...parts: string[]): void {
  location.hash = href(...parts)
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
