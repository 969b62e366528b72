import type { LoggedEvent } from '../../preload/api'
import { bench } from '../lib/bench'
import { dateTime, prettyXml } from '../lib/format'
import { useLoad } from '../lib/hooks'
import { ErrorNote, Spinner } from './ui'

export function EventDetail({ event, onClose }: { event: LoggedEvent; onClose: () => void }) {
  const soap = useLoad(() => (event.hasSoap ? bench.events.soap(event.seq) : Promise.resolve(null)), [event.seq])
  return (
    <aside className="detail" data-testid="event-detail">
      <div className="detail-head">
        <strong>{event.summary}</strong>
        <button className="icon" onClick={onClose} aria-label="Close" data-testid="event-detail-close">
          ×
        </button>
      </div>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{dateTime(event.ts)}</dd>
        <dt>Kind</dt>
        <dd>{event.kind}</dd>
        <dt>Severity</dt>
        <dd>{event.severity}</dd>
        <dt>Device</dt>
        <dd className="mono">{event.serial ?? '—'}</dd>
        <dt>Id</dt>
        <dd className="mono small">{event.id}</dd>
      </dl>
      {event.detail !== null && event.detail !== undefined && (
        <>
          <h3>Detail</h3>
          <pre className="code" data-testid="event-detail-json">
            {JSON.stringify(event.detail, null, 2)}
          </pre>
        </>
      )}
      {event.hasSoap && (
        <>
          {soap.loading && <Spinner label="Loading SOAP bodies…" />}
          <ErrorNote error={soap.error} onRetry={soap.reload} />
          {soap.data?.soapOut && (
            <>
              <h3>Sent to the CPE</h3>
              <pre className="code xml" data-testid="event-soap-out">
                {prettyXml(soap.data.soapOut)}
              </pre>
            </>
          )}
          {soap.data?.soapIn && (
            <>
              <h3>Received from the CPE</h3>
              <pre className="code xml" data-testid="event-soap-in">
                {prettyXml(soap.data.soapIn)}
              </pre>
            </>
          )}
        </>
      )}
    </aside>
  )
}
