import type { DeviceColumn, DeviceView, ProvisioningState } from '../../../preload/api'
import { ago, dateTime } from '../../lib/format'
import { href } from '../../lib/router'
import { StatusBadge } from '../ui'

/** "sim" beside a simulated CPE's serial: one of the bench's own, not hardware on the bench. */
export function SimMark({ device }: { device: Pick<DeviceView, 'simulated'> }) {
  return device.simulated ? (
    <span className="sim-mark" title="A simulated CPE (bench-acs sim or the Simulator page)" data-testid="sim-mark">
      sim
    </span>
  ) : null
}

/** One cell of a device row; each carries data-col so tests and the header line up by column. */
export function DeviceCell({
  column,
  d,
  now,
  provisioning,
  aliasShown,
}: {
  column: DeviceColumn
  d: DeviceView
  now: number
  provisioning: ProvisioningState | undefined
  /** The alias has its own column: the serial cell leaves it out. */
  aliasShown: boolean
}) {
  switch (column) {
    case 'serial':
      return (
        <span className="mono strong" title={d.alias || d.serial} role="cell" data-col={column}>
          <a href={href('devices', d.serial)} className="row-link">
            {d.serial}
          </a>
          {!aliasShown && d.alias && <span className="muted"> · {d.alias}</span>}
          <SimMark device={d} />
        </span>
      )
    case 'alias':
      return (
        <span title={d.alias} role="cell" data-col={column} data-testid="device-alias">
          {d.alias || <span className="muted">—</span>}
        </span>
      )
    case 'tags':
      return (
        <span title={d.tags.join(', ')} role="cell" data-col={column} data-testid="device-tags">
          {d.tags.length ? (
            d.tags.map((t) => (
              <span key={t} className="device-tag">
                {t}
              </span>
            ))
          ) : (
            <span className="muted">—</span>
          )}
        </span>
      )
    case 'manufacturer':
      return (
        <span title={d.manufacturer} role="cell" data-col={column}>
          {d.manufacturer || '—'}
        </span>
      )
    case 'model':
      return (
        <span title={d.productClass} role="cell" data-col={column}>
          {d.model || d.productClass || '—'}
        </span>
      )
    case 'softwareVersion':
      return (
        <span className="mono" role="cell" data-col={column}>
          {d.softwareVersion || '—'}
        </span>
      )
    case 'ip':
      return (
        <span className="mono" role="cell" data-col={column}>
          {d.ip || '—'}
        </span>
      )
    case 'status':
      return (
        <span role="cell" data-col={column}>
          <StatusBadge status={d.status} />
        </span>
      )
    case 'lastInform':
      return (
        <span title={dateTime(d.lastInform)} role="cell" data-col={column}>
          {ago(d.lastInform, now)}
        </span>
      )
    case 'provisioning':
      return (
        <span data-testid="device-provisioning" role="cell" data-col={column}>
          {provisioning ? (
            <span className={`badge prov-${provisioning}`}>{provisioning}</span>
          ) : (
            <span className="muted">—</span>
          )}
        </span>
      )
  }
}
