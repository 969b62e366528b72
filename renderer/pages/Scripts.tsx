import { useEffect, useState } from 'react'
import { ScriptWorkspace } from '../components/scripts/ScriptWorkspace'
import { Empty, ErrorNote, PageHeader, Spinner } from '../components/ui'
import { bench } from '../lib/bench'
import { useApp } from '../lib/context'
import { ago } from '../lib/format'
import { messageOf, useLoad, useStream } from '../lib/hooks'
import { href, navigate } from '../lib/router'
import { readStored, writeStored } from '../lib/stored'

const isText = (v: unknown): v is string => typeof v === 'string'

/** Postman/Bruno-style: the library on the left, the open script with its runs on the right. */
export function ScriptsPage({ id }: { id?: string }) {
  const { info } = useApp()
  const available = info?.services.scripts !== false
  const list = useLoad(() => (available ? bench.scripts.list() : Promise.resolve([])), [available], { live: true })
  useStream('scripts.changed', () => list.reload())
  const [filter, setFilter] = useState('')
  const [creating, setCreating] = useState(false)
  const [error, setError] = useState<string | null>(null)

  // Open the script used last (else the first) when none is chosen, so the page is never an empty frame.
  useEffect(() => {
    if (id || !list.data?.length) return
    // The address may already name a script the route has not caught up with (a link just followed):
    // that choice wins over the one remembered.
    if (/^#\/scripts\/./.test(window.location.hash)) return
    const last = readStored('scripts.last', '', isText)
    navigate('scripts', list.data.some((s) => s.id === last) ? last : list.data[0]!.id)
  }, [id, list.data])
  useEffect(() => {
    if (id) writeStored('scripts.last', id)
  }, [id])

  if (info && !available)
    return (
      <div className="page">
        <PageHeader title="Scripts" />
        <Empty title="The script runtime is not part of this build yet." testId="scripts-missing" />
      </div>
    )

  const create = async () => {
    setCreating(true)
    setError(null)
    try {
      const names = new Set(list.data?.map((s) => s.name))
      let name = 'New script'
      for (let i = 2; names.has(name); i++) name = `New script ${i}`
      const script = await bench.scripts.create(name)
      list.reload()
      navigate('scripts', script.id)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setCreating(false)
    }
  }

  const shown = (list.data ?? []).filter((s) => s.name.toLowerCase().includes(filter.toLowerCase()))
  return (
    <div className="page scripts-page">
      <div className="scripts-layout">
        <aside className="library" data-testid="script-library">
          <div className="library-head">
            <h1>Scripts</h1>
            <button className="primary small" onClick={create} disabled={creating} data-testid="script-new">
              {creating ? <Spinner /> : 'New'}
            </button>
          </div>
          <input
            type="search"
            placeholder="Filter scripts…"
            aria-label="Filter scripts by name"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            data-testid="script-filter"
          />
          <ErrorNote error={list.error ?? error} onRetry={list.reload} />
          {list.loading && !list.data && <Spinner label="Loading…" />}
          <div className="library-list">
            {shown.map((s) => (
              <a
                key={s.id}
                href={href('scripts', s.id)}
                className={s.id === id ? 'library-item active' : 'library-item'}
                data-testid="script-item"
                data-name={s.name}
              >
                <span className="library-name" title={s.name}>
                  {s.name}
                </span>
                <span className="muted small">
                  v{s.version} · {ago(s.updatedAt)}
                </span>
              </a>
            ))}
            {list.data?.length === 0 && (
              <p className="muted small">
                No scripts yet. “New” starts one; the examples come back on a fresh data folder.
              </p>
            )}
          </div>
        </aside>
        <section className="workspace">
          {id ? (
            <ScriptWorkspace key={id} id={id} onGone={() => navigate('scripts')} />
          ) : (
            list.data && (
              <Empty title="No script open." testId="scripts-empty">
                Create one with “New”: scripts call <code>send_cwmp_message</code>, <code>listen_to_cwmp_event</code>{' '}
                and <code>get_device</code>, and run on one device, several, all, or a simulated CPE.
              </Empty>
            )
          )}
        </section>
      </div>
    </div>
  )
}
