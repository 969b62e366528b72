import type { DeviceCapabilities as Caps } from '../../preload/api'
import { bench } from '../lib/bench'
import { dateTime } from '../lib/format'
import { useLoad, useStream } from '../lib/hooks'
import { href } from '../lib/router'
import { ErrorNote, Note, Spinner } from './ui'

/** The capabilities of a device, reloaded whenever its RPCs or its record change. */
function useCapabilities(serial: string) {
  const caps = useLoad(() => bench.devices.capabilities(serial), [serial], { live: true })
  useStream('rpcs.changed', (batch) => {
    if (batch.some((b) => b.serial === serial)) caps.reload()
  })
  useStream('devices.updated', (batch) => {
    if (batch.some((d) => d.serial === serial)) caps.reload()
  })
  return caps
}

/**
 * A request the device's sessions died on twice is not sent again (acs/liveness.ts) until the
 * technician retries it on the RPCs tab: said loudly, with the request, wherever it matters.
 */
export function UnstableNote({ serial }: { serial: string }) {
  const caps = useCapabilities(serial)
  const mark = caps.data?.unstable
  if (!mark) return null
  return (
    <div className="note error" role="alert" data-testid="unstable-mark">
      <span>
        <strong>Unstable:</strong> its sessions died twice while handling{' '}
        <span className="mono" data-testid="unstable-request">
          {mark.method}
          {mark.args}
        </span>{' '}
        ({mark.reason}, since {dateTime(mark.since)}). The ACS will not send that request again until you retry it:{' '}
        <a href={href('devices', serial, 'rpcs')}>RPCs tab</a>, Retry on the failed row.
      </span>
    </div>
  )
}

const WORDS: Record<string, string> = {
  unknown: 'not known yet',
  yes: 'yes',
  no: 'no',
  kept: 'kept',
  dropped: 'dropped (sessions matched by address)',
  'per-message': 'a new connection per message',
}

/** What the ACS learned about how one CPE behaves (acs/capabilities.ts): read-only facts. */
export function DeviceCapabilitiesPanel({ serial, informInterval }: { serial: string; informInterval: number | null }) {
  const caps = useCapabilities(serial)
  if (caps.loading && !caps.data) return <Spinner label="Loading capabilities…" />
  const c: Caps | null | undefined = caps.data
  if (!c) return <ErrorNote error={caps.error} onRetry={caps.reload} />
  const row = (label: string, value: string, testId: string) => (
    <div className="fact" key={testId}>
      <dt>{label}</dt>
      <dd data-testid={`cap-${testId}`}>{value || '—'}</dd>
    </div>
  )
  return (
    <div data-testid="device-capabilities">
      <UnstableNote serial={serial} />
      {!c.unstable && (
        <Note kind="ok" testId="cap-stable">
          Stable: no request has crashed its sessions.
        </Note>
      )}
      <p className="hint">
        Learned from its sessions on this bench, never synced. “Not known yet” until the device did the thing once.
      </p>
      <dl className="identity">
        {row('CWMP version', c.cwmpVersion, 'cwmp')}
        {row(
          'RPC methods',
          c.rpcMethods ? c.rpcMethods.join(', ') : 'not asked yet, or GetRPCMethods faulted',
          'rpc-methods',
        )}
        {row('Partial-path reads', WORDS[c.partialPaths] ?? c.partialPaths, 'partial-paths')}
        {row('Session cookie', WORDS[c.cookies] ?? c.cookies, 'cookies')}
        {row('TCP connection', WORDS[c.connection] ?? c.connection, 'connection')}
        {row('Authentication used', c.auth || 'none seen yet', 'auth')}
        {row('Inform interval', informInterval ? `${informInterval} s` : 'not reported', 'interval')}
        {row(
          'Gaps between Informs',
          c.informGaps.length ? c.informGaps.map((g) => `${g} s`).join(', ') : 'fewer than two Informs seen',
          'gaps',
        )}
      </dl>
    </div>
  )
}
