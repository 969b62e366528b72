import type { LoggedEvent, SessionMessage } from '../../preload/api'
import { bench } from '../lib/bench'
import { messagesOf } from '../lib/event-groups'
import { dateTime, prettyXml } from '../lib/format'
import { useLoad } from '../lib/hooks'
import { href } from '../lib/router'
import { CopyButton } from './CopyButton'
import { ErrorNote, Spinner } from './ui'

/** What the detail pane shows: a row, or one message of a routine session's row. */
export interface Selection {
  event: LoggedEvent
  message?: SessionMessage
  /** The message's place in the row's detail.messages. */
  index?: number
}

export function EventDetail({ selection, onClose }: { selection: Selection; onClose: () => void }) {
  const { event, message } = selection
  return (
    <aside className="detail" data-testid="event-detail">
      <div className="detail-head">
        <strong>
          {message ? `${message.method} — ${message.from === 'cpe' ? 'from the CPE' : 'from the ACS'}` : event.summary}
        </strong>
        <button className="icon" onClick={onClose} aria-label="Close" data-testid="event-detail-close">
          ×
        </button>
      </div>
      {message ? <MessageDetail event={event} message={message} /> : <RowDetail event={event} />}
    </aside>
  )
}

function RowDetail({ event }: { event: LoggedEvent }) {
  const soap = useLoad(() => (event.hasSoap ? bench.events.soap(event.seq) : Promise.resolve(null)), [event.seq])
  const messages = messagesOf(event)
  return (
    <>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{dateTime(event.ts)}</dd>
        <dt>Kind</dt>
        <dd>{event.kind}</dd>
        <dt>Severity</dt>
        <dd>{event.severity}</dd>
        <dt>Device</dt>
        <dd className="mono">{event.serial ?? '—'}</dd>
        <Source event={event} />
        <dt>Id</dt>
        <dd className="mono small">{event.id}</dd>
      </dl>
      {messages.length > 0 && (
        <>
          <h3>Messages of the session</h3>
          <ol className="messages small" data-testid="event-detail-messages">
            {messages.map((m, i) => (
              <li key={i}>
                <span className="muted">{m.from === 'cpe' ? 'CPE → ACS' : 'ACS → CPE'}</span>{' '}
                <span className="mono">{m.method}</span>
                {m.summary && <span className="muted"> · {m.summary}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
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
          {soap.data?.soapOut && <SoapBlock title="Sent to the CPE" xml={soap.data.soapOut} testId="event-soap-out" />}
          {soap.data?.soapIn && (
            <SoapBlock title="Received from the CPE" xml={soap.data.soapIn} testId="event-soap-in" />
          )}
        </>
      )}
    </>
  )
}

function MessageDetail({ event, message }: { event: LoggedEvent; message: SessionMessage }) {
  const body = useLoad(async () => {
    if (message.ref !== undefined) return bench.events.body(event.seq, message.ref)
    if (!message.soap) return null
    const soap = await bench.events.soap(event.seq)
    return (message.soap === 'in' ? soap?.soapIn : soap?.soapOut) ?? null
  }, [event.seq, message.ref, message.soap])
  const hasBody = message.ref !== undefined || message.soap !== undefined
  return (
    <>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{dateTime(message.ts)}</dd>
        <dt>Session</dt>
        <dd>{event.summary}</dd>
        <dt>Device</dt>
        <dd className="mono">{event.serial ?? '—'}</dd>
        {message.summary && (
          <>
            <dt>Summary</dt>
            <dd>{message.summary}</dd>
          </>
        )}
      </dl>
      {message.eventSeq !== undefined && (
        <p className="muted small" data-testid="event-message-own-row">
          This message has a row of its own in the log (#{message.eventSeq}), with its SOAP.
        </p>
      )}
      {!hasBody && message.eventSeq === undefined && (
        <p className="muted small">An empty HTTP message: no SOAP body.</p>
      )}
      {hasBody && (
        <>
          {body.loading && <Spinner label="Loading the SOAP body…" />}
          <ErrorNote error={body.error} onRetry={body.reload} />
          {body.data && (
            <SoapBlock
              title={message.from === 'cpe' ? 'Received from the CPE' : 'Sent to the CPE'}
              xml={body.data}
              testId="event-message-soap"
            />
          )}
          {!body.loading && !body.error && body.data === null && (
            <p className="muted small">This body is no longer kept (retention deleted it).</p>
          )}
        </>
      )}
    </>
  )
}

function SoapBlock({ title, xml, testId }: { title: string; xml: string; testId: string }) {
  return (
    <>
      <div className="detail-subhead">
        <h3>{title}</h3>
        <CopyButton
          text={xml}
          what={`Copy the SOAP ${title.toLowerCase()}`}
          testId={`${testId}-copy`}
          className="small"
        />
      </div>
      <pre className="code xml" data-testid={testId}>
        {prettyXml(xml)}
      </pre>
    </>
  )
}

/** Who sent the RPC (or ran the script), resolved now: a renamed script shows its new name. */
function Source({ event }: { event: LoggedEvent }) {
  const d = event.detail as { source?: unknown; runId?: unknown } | null
  const source =
    typeof d?.source === 'string' ? d.source : typeof d?.runId === 'string' ? `script:${d.runId}` : undefined
  const resolved = useLoad(
    () => (source ? bench.events.sources([source]).then((r) => r[source] ?? null) : Promise.resolve(null)),
    [source],
  )
  if (!source) return null
  const s = resolved.data
  return (
    <>
      <dt>Source</dt>
      <dd data-testid="event-source" title={source}>
        {!s ? (
          <span className="muted">{resolved.error ? source : '…'}</span>
        ) : s.scriptId ? (
          <a href={href('scripts', s.scriptId)}>{s.label}</a>
        ) : (
          <span className={s.deleted ? 'muted' : undefined}>{s.label}</span>
        )}
      </dd>
    </>
  )
}
