import { useEffect, useState } from 'react'
import type { AcsStatus, AppInfo } from '../preload/api'
import { bench } from './lib/bench'
import { useStream } from './lib/hooks'
import { href, useRoute, type Route } from './lib/router'
import { DevicesPage } from './pages/Devices'
import { DevicePage } from './pages/Device'
import { EventsPage } from './pages/Events'
import { ScriptsPage } from './pages/Scripts'
import { SettingsPage } from './pages/Settings'
import { SimulatorPage } from './pages/Simulator'
import { SyncPage } from './pages/Sync'
import { FilesPage } from './pages/Files'
import { ProfilesPage } from './pages/Profiles'
import { AppContext } from './lib/context'
import { Empty } from './components/ui'
import { CopyButton } from './components/CopyButton'

const NAV: { page: Route['page']; label: string; path: string }[] = [
  { page: 'devices', label: 'Devices', path: 'devices' },
  { page: 'scripts', label: 'Scripts', path: 'scripts' },
  { page: 'profiles', label: 'Profiles', path: 'profiles' },
  { page: 'files', label: 'Files', path: 'files' },
  { page: 'events', label: 'Events', path: 'events' },
  { page: 'simulator', label: 'Simulator', path: 'simulator' },
  { page: 'sync', label: 'Sync', path: 'sync' },
  { page: 'settings', label: 'Settings', path: 'settings' },
]

export function App() {
  const route = useRoute()
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [acs, setAcs] = useState<AcsStatus | null>(null)
  const [connection, setConnection] = useState<'open' | 'reconnecting'>('open')
  // Lost, or back but the ACS status not read again yet: live states show as unknown meanwhile.
  const [stale, setStale] = useState(false)

  useEffect(() => bench.onConnection(setConnection), [])
  useEffect(() => {
    if (connection !== 'open') {
      setStale(true)
      return
    }
    let live = true
    bench.app.info().then(setInfo, () => {})
    bench.settings.acsStatus().then(
      (status) => {
        if (!live) return
        setAcs(status)
        setStale(false)
      },
      () => {},
    )
    return () => {
      live = false
    }
  }, [connection])
  useStream('acs.status', (batch) => setAcs(batch[batch.length - 1] ?? null))

  const active = route.page === 'device' ? 'devices' : route.page
  return (
    <AppContext.Provider value={{ info, acs, stale }}>
      <div className="app">
        <nav className="sidebar" data-testid="nav">
          <div className="brand">
            <span className="brand-mark">◆</span> Bench ACS
          </div>
          {NAV.map((n) => (
            <a
              key={n.page}
              href={href(n.path)}
              className={active === n.page ? 'nav-item active' : 'nav-item'}
              data-testid={`nav-${n.page}`}
            >
              {n.label}
            </a>
          ))}
          <div className="sidebar-foot" data-testid="acs-footer">
            {stale ? (
              <div className="acs-state unknown" data-state="unknown" title="Not known while the connection is lost">
                <span className="dot" /> ACS state unknown
              </div>
            ) : (
              <div
                className={acs?.listening ? 'acs-state on' : 'acs-state off'}
                data-state={acs?.listening ? 'on' : 'off'}
              >
                <span className="dot" /> {acs?.listening ? `ACS on port ${acs.port}` : 'ACS not listening'}
              </div>
            )}
            {!stale && acs?.listening && acs.urls[0] && (
              <div className="acs-url">
                <span
                  className="mono url"
                  title={`${acs.urls[0]} — the ACS URL to give CPEs`}
                  data-testid="sidebar-acs-url"
                >
                  {unbrokenUrl(acs.urls[0])}
                </span>
                <CopyButton text={acs.urls[0]} what="Copy the ACS URL" testId="acs-url-copy" className="small" />
              </div>
            )}
            {info && (
              <div className="muted small">
                v{info.version} · {info.shell}
              </div>
            )}
          </div>
        </nav>
        <main className="content">
          {connection === 'reconnecting' && (
            <div className="banner" data-testid="reconnecting">
              Connection to Bench ACS lost — reconnecting… Nothing you saved is lost; the app keeps running.
            </div>
          )}
          {connection === 'open' && acs && !acs.listening && info?.services.acs && route.page !== 'settings' && (
            <div className="banner" role="alert" data-testid="acs-down">
              The ACS is not listening, so CPEs cannot reach it: {acs.error ?? 'it is stopped.'}{' '}
              <a href={href('settings')}>Pick another port in Settings</a>
            </div>
          )}
          <Page route={route} />
        </main>
      </div>
    </AppContext.Provider>
  )
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'devices':
      return <DevicesPage />
    case 'device':
      return <DevicePage serial={route.serial} tab={route.tab} />
    case 'scripts':
      return <ScriptsPage id={route.id} />
    case 'events':
      return <EventsPage />
    case 'simulator':
      return <SimulatorPage />
    case 'sync':
      return <SyncPage />
    case 'settings':
      return <SettingsPage />
    case 'files':
      return <FilesPage />
    case 'profiles':
      return <ProfilesPage />
    case 'not-found':
      return (
        <div className="page">
          <Empty title="No such page" testId="not-found">
            The address <span className="mono">{route.address}</span> is not one Bench ACS can read.{' '}
            <a href={href('devices')}>Go to the device list</a>.
          </Empty>
        </div>
      )
  }
}

/** A narrow column may break a URL after its scheme only: host and port stay on one line. */
function unbrokenUrl(url: string) {
  const at = url.indexOf('//') + 2
  return (
    <>
      {url.slice(0, at)}
      <wbr />
      <span className="nowrap" data-testid="sidebar-acs-hostport">
        {url.slice(at)}
      </span>
    </>
  )
}
