import { useLoad } from '../../lib/hooks'
import { scriptApi } from '../../lib/lua-api'
import { ErrorNote, Spinner } from '../ui'

/** Every function a script can call, with an example, as the runtime defines them. */
export function Reference() {
  const api = useLoad(() => scriptApi(), [])
  if (api.error) return <ErrorNote error={api.error} onRetry={api.reload} />
  if (!api.data) return <Spinner />
  return (
    <div className="reference" data-testid="api-reference">
      {api.data.functions.map((f) => (
        <section key={f.name} className="reference-entry" data-testid={`api-${f.name}`}>
          <code className="reference-signature">{f.signature}</code>
          <p>{f.summary}</p>
          <pre className="code">{f.example}</pre>
        </section>
      ))}
      <section className="reference-entry">
        <code className="reference-signature">send_cwmp_message types</code>
        <table className="plain">
          <tbody>
            {api.data.messageTypes.map((t) => (
              <tr key={t.type}>
                <td>{t.type}</td>
                <td>{t.meaning}</td>
                <td>
                  <code>{t.returns}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}
