import { useState } from 'react'
import type { DeviceView } from '../../preload/api'
import { DeviceActions } from '../components/DeviceActions'
import { DeviceCapabilitiesPanel, UnstableNote } from '../components/DeviceCapabilities'
import { DeviceCheck } from '../components/DeviceCheck'
import { DeviceDangerZone } from '../components/DeviceDangerZone'
import { DeviceAlias } from '../components/devices/DeviceAlias'
import { DeviceTrust } from '../components/DeviceTrust'
import { DeviceProvisioning } from '../components/DeviceProvisioning'
import { EventLog } from '../components/EventLog'
import { ParameterTree } from '../components/ParameterTree'
import { RpcList } from '../components/RpcList'
import { ErrorNote, PageHeader, Spinner, StatusBadge } from '../components/ui'
import { bench } from '../lib/bench'
import { useApp } from '../lib/context'
import { ago, dateTime } from '../lib/format'
import { useLoad, useNow, useReconnected, useStream } from '../lib/hooks'
import { href } from '../lib/router'

const TABS = [
  ['parameters', 'Parameters'],
  ['rpcs', 'RPCs'],
  ['events', 'Events'],
  ['trust', 'Trust'],
  ['provisioning', 'Provisioning'],
  ['capabilities', 'Capabilities'],
  ['check', 'Check'],
] as const

export function DevicePage({ serial, tab }: { serial: string; tab: string }) {
  const device = useLoad(() => bench.devices.get(serial), [serial], { live: true })
  const [live, setLive] = useState<DeviceView | null>(null)
  const { info } = useApp()
  const canSend = Boolean(info?.services.acs)
  useStream('devices.updated', (batch) => {
    const mine = batch.find((d) => d.serial === serial)
    if (mine) setLive(mine)
  })
  // The load after a reconnection is newer than the last update the stream brought.
  useReconnected(() => setLive(null))
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
            <DeviceAlias device={d} />
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
      {tab !== 'rpcs' && tab !== 'capabilities' && <UnstableNote serial={serial} />}
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
        ) : tab === 'provisioning' ? (
          <DeviceProvisioning serial={serial} canSend={canSend} />
        ) : tab === 'check' ? (
          <DeviceCheck serial={serial} canSend={canSend} />
        ) : tab === 'capabilities' ? (
          <DeviceCapabilitiesPanel serial={serial} informInterval={d.periodicInformInterval} />
        ) : tab === 'trust' ? (
          <DeviceTrust serial={serial} reportedCrUrl={d.connectionRequestUrl} />
        ) : (
          <ParameterTree serial={serial} canSend={canSend} />
        )}
      </div>
      <DeviceDangerZone serial={serial} />
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
