import { useState } from 'react'
import type { ActionResult, DeviceView } from '../../preload/api'
import { EventLog } from '../components/EventLog'
import { ParameterTree } from '../components/ParameterTree'
import { RpcList } from '../components/RpcList'
import { ErrorNote, Note, PageHeader, Spinner, StatusBadge } from '../components/ui'
import { bench } from '../lib/bench'
import { useApp } from '../lib/context'
import { ago, dateTime } from '../lib/format'
import { messageOf, useLoad, useNow, useStream } from '../lib/hooks'
import { href, navigate } from '../lib/router'

const TABS = [
  ['parameters', 'Parameters'],
  ['rpcs', 'RPCs'],
  ['events', 'Events'],
] as const

export function DevicePage({ serial, tab }: { serial: string; tab: string }) {
  const device = useLoad(() => bench.devices.get(serial), [serial])
  const [live, setLive] = useState<DeviceView | null>(null)
  const { info } = useApp()
  const canSend = Boolean(info?.services.acs)
  useStream('devices.updated', (batch) => {
    const mine = batch.find((d) => d.serial === serial)
    if (mine) setLive(mine)
  })
  const d = live?.serial === serial ? live : device.data
  const now = useNow(5000)

  if (device.loading && !d) return <Spinner label="Loading device…" />
  if (!d)
    return (
      <div className="page">
        <PageHeader title={<a href={href('devices')}>Devices</a>} />
        <ErrorNote error={device.error ?? `No device with serial ${serial} in the store.`} onRetry={device.reload} />
      </div>
    )

  return (
    <div className="page">
      <PageHeader
        title={
          <>
            <a href={href('devices')} className="crumb">
              Devices
            </a>
            <span className="crumb-sep">/</span>
            <span className="mono" data-testid="device-serial">
              {d.serial}
            </span>
            <StatusBadge status={d.status} />
          </>
        }
      >
        <DeviceActions serial={serial} canSend={canSend} />
      </PageHeader>
      <dl className="identity" data-testid="device-identity">
        <Fact label="Vendor" value={d.manufacturer} />
        <Fact label="OUI" value={d.oui} mono />
        <Fact label="Product class" value={d.productClass} />
        <Fact label="Model" value={d.model} />
        <Fact label="Software" value={d.softwareVersion} mono />
        <Fact label="Hardware" value={d.hardwareVersion} mono />
        <Fact label="IP" value={d.ip} mono />
        <Fact label="CWMP" value={d.cwmpVersion} mono />
        <Fact label="Last inform" value={`${ago(d.lastInform, now)}`} title={dateTime(d.lastInform)} />
        <Fact label="Last boot" value={dateTime(d.lastBoot)} />
        <Fact label="First seen" value={dateTime(d.firstSeen)} />
        <Fact label="Inform interval" value={d.periodicInformInterval ? `${d.periodicInformInterval} s` : ''} />
        <Fact label="Connection request URL" value={d.connectionRequestUrl} mono wide />
      </dl>
      <div className="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <a
            key={id}
            role="tab"
            href={href('devices', serial, id)}
            className={tab === id ? 'tab active' : 'tab'}
            aria-selected={tab === id}
            data-testid={`device-tab-${id}`}
          >
            {label}
          </a>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'rpcs' ? (
          <RpcList serial={serial} canSend={canSend} />
        ) : tab === 'events' ? (
          <EventLog fixedSerial={serial} emptyHint="Nothing logged for this device yet." />
        ) : (
          <ParameterTree serial={serial} canSend={canSend} />
        )}
      </div>
    </div>
  )
}

function Fact(props: { label: string; value: string; mono?: boolean; wide?: boolean; title?: string }) {
  return (
    <div className={props.wide ? 'fact wide' : 'fact'}>
      <dt>{props.label}</dt>
      <dd className={props.mono ? 'mono' : undefined} title={props.title ?? props.value}>
        {props.value || '—'}
      </dd>
    </div>
  )
}

function DeviceActions({ serial, canSend }: { serial: string; canSend: boolean }) {
  const [busy, setBusy] = useState<string | null>(null)
  const [result, setResult] = useState<ActionResult | null>(null)
  const [downloadOpen, setDownloadOpen] = useState(false)
  const run = async (label: string, action: () => Promise<ActionResult>, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return
    setBusy(label)
    setResult(null)
    try {
      setResult(await action())
    } catch (e) {
      setResult({ ok: false, message: messageOf(e) })
    } finally {
      setBusy(null)
    }
  }
  const disabled = !canSend || busy !== null
  return (
    <div className="actions-wrap">
      <div className="actions">
        <button
          disabled={disabled}
          onClick={() => run('wake', () => bench.devices.wake(serial))}
          data-testid="action-wake"
        >
          {busy === 'wake' ? <Spinner label="Waking…" /> : 'Connection request'}
        </button>
        <button disabled={disabled} onClick={() => setDownloadOpen((o) => !o)} data-testid="action-download">
          Download file…
        </button>
        <button
          disabled={disabled}
          onClick={() => run('reboot', () => bench.devices.reboot(serial), `Reboot ${serial}?`)}
          data-testid="action-reboot"
        >
          {busy === 'reboot' ? <Spinner label="Rebooting…" /> : 'Reboot'}
        </button>
        <button
          className="danger"
          disabled={disabled}
          onClick={() =>
            run(
              'reset',
              () => bench.devices.factoryReset(serial),
              `Factory reset ${serial}? It loses its whole configuration.`,
            )
          }
          data-testid="action-factory-reset"
        >
          {busy === 'reset' ? <Spinner label="Resetting…" /> : 'Factory reset'}
        </button>
      </div>
      <button
        className="link small"
        disabled={busy !== null}
        onClick={() => {
          if (
            !window.confirm(
              `Remove ${serial} and its stored parameters from this list? It comes back with its next Inform.`,
            )
          )
            return
          void run('remove', async () => {
            await bench.devices.remove(serial)
            navigate('devices')
            return { ok: true, message: 'Removed.' }
          })
        }}
        data-testid="action-remove"
      >
        Remove from list
      </button>
      {!canSend && <span className="muted small">The ACS is not running in this build: actions are off.</span>}
      {result && (
        <Note kind={result.ok ? 'ok' : 'warn'} testId="action-result">
          {result.message}
        </Note>
      )}
      {downloadOpen && (
        <DownloadForm
          busy={busy === 'download'}
          onCancel={() => setDownloadOpen(false)}
          onSubmit={(req) =>
            run('download', async () => {
              const r = await bench.devices.download(serial, req)
              if (r.ok) setDownloadOpen(false)
              return r
            })
          }
        />
      )}
    </div>
  )
}

const FILE_TYPES = [
  '1 Firmware Upgrade Image',
  '2 Web Content',
  '3 Vendor Configuration File',
  '4 Tone File',
  '5 Ringer File',
]

function DownloadForm(props: {
  busy: boolean
  onCancel: () => void
  onSubmit: (req: { url: string; fileType: string; username: string; password: string; targetFileName: string }) => void
}) {
  const [url, setUrl] = useState('')
  const [fileType, setFileType] = useState(FILE_TYPES[0]!)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [targetFileName, setTarget] = useState('')
  const urlOk = /^(https?|ftp|tftp):\/\/\S+$/i.test(url)
  return (
    <form
      className="card form"
      data-testid="download-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (urlOk) props.onSubmit({ url, fileType, username, password, targetFileName })
      }}
    >
      <label>
        File URL
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="http://192.168.1.10:8000/firmware.bin"
          data-testid="download-url"
        />
      </label>
      {url && !urlOk && (
        <span className="invalid-text">
          The device fetches it itself: use an http://, https:// or ftp:// URL it can reach.
        </span>
      )}
      <label>
        File type
        <select value={fileType} onChange={(e) => setFileType(e.target.value)}>
          {FILE_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <div className="row">
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          Target file name
          <input value={targetFileName} onChange={(e) => setTarget(e.target.value)} />
        </label>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={!urlOk || props.busy} data-testid="download-submit">
          {props.busy ? <Spinner label="Sending Download…" /> : 'Send Download'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
