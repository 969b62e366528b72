import { useRef, useState } from 'react'
import type { FileFetch, FileFetchProgress, LibraryFile } from '../../preload/api'
import { Empty, ErrorNote, Note, PageHeader, Spinner } from '../components/ui'
import { addFileInChunks, type AddProgress } from '../lib/add-file'
import { bench } from '../lib/bench'
import { ago, dateTime, duration } from '../lib/format'
import { messageOf, useLoad, useNow, useStream } from '../lib/hooks'

const TYPES = [
  ['firmware', 'Firmware image'],
  ['config', 'Configuration file'],
  ['web', 'Web content'],
  ['tone', 'Tone file'],
  ['ringer', 'Ringer file'],
] as const

export function FilesPage() {
  const files = useLoad(() => bench.files.list(), [], { live: true })
  const fetches = useLoad(() => bench.files.fetches(), [], { live: true })
  // Fetches under way, by id; an ended one leaves this list and shows in the fetch log.
  const [live, setLive] = useState<Map<string, FileFetchProgress>>(new Map())
  useStream('files.changed', () => files.reload())
  useStream('files.progress', (batch) => {
    setLive((prev) => {
      const next = new Map(prev)
      for (const p of batch) {
        if (p.state === 'complete' || p.state === 'cut-off') next.delete(p.fetchId)
        else next.set(p.fetchId, p)
      }
      return next
    })
    if (batch.some((p) => p.state === 'complete' || p.state === 'cut-off')) {
      fetches.reload()
      files.reload()
    }
  })

  return (
    <div className="page scroll">
      <PageHeader title="Files">
        <span className="muted" data-testid="file-count">
          {files.data ? `${files.data.length} in the library` : ''}
        </span>
      </PageHeader>
      <p className="muted intro">
        Firmware images and configuration files the file server gives CPEs (in a Download sent from a device page or by
        a profile), and the configurations and logs devices upload here.
      </p>
      <AddFile />
      {live.size > 0 && (
        <div className="card" data-testid="file-progress">
          {[...live.values()].map((p) => (
            <div key={p.fetchId} data-testid="file-progress-row" data-name={p.name}>
              <Spinner />{' '}
              {`${p.serial ?? p.remoteAddress} downloading ${p.name}: ${p.percent} % (${p.bytes.toLocaleString()} of ${p.expected.toLocaleString()} bytes)`}
            </div>
          ))}
        </div>
      )}
      <ErrorNote error={files.error} onRetry={files.reload} />
      {files.data && files.data.length === 0 ? (
        <Empty title="The library is empty." testId="files-empty">
          Add a firmware image or a configuration file above; devices fetch it from this bench.
        </Empty>
      ) : (
        files.data && <FileTable files={files.data} onRemoved={files.reload} />
      )}
      <div className="card">
        <h2>Fetch log</h2>
        <ErrorNote error={fetches.error} onRetry={fetches.reload} />
        <FetchLog fetches={fetches.data} />
      </div>
    </div>
  )
}

function AddFile() {
  const input = useRef<HTMLInputElement>(null)
  const [type, setType] = useState('firmware')
  const [version, setVersion] = useState('')
  const [productClass, setProductClass] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [progress, setProgress] = useState<AddProgress | null>(null)
  const abort = useRef<AbortController | null>(null)
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null)
  const [dragging, setDragging] = useState(false)

  const add = async (file: File | undefined) => {
    if (!file) return
    setResult(null)
    setBusy(file.name)
    setProgress({ sent: 0, size: file.size })
    abort.current = new AbortController()
    try {
      const added = await addFileInChunks(
        file,
        { type, ...(version ? { version } : {}), ...(productClass ? { productClass } : {}) },
        setProgress,
        abort.current.signal,
      )
      setResult({
        ok: true,
        message: `Added ${added.name} (${added.fileType}${added.version ? `, version ${added.version}` : ''}).`,
      })
    } catch (e) {
      setResult({ ok: false, message: messageOf(e) })
    } finally {
      setBusy(null)
      setProgress(null)
      abort.current = null
      if (input.current) input.current.value = ''
    }
  }

  return (
    <div
      className={dragging ? 'card drop-zone dragging' : 'card drop-zone'}
      data-testid="file-drop"
      onDragOver={(e) => {
        e.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault()
        setDragging(false)
        void add(e.dataTransfer.files[0])
      }}
    >
      <div className="form">
        <div className="row">
          <label>
            Type
            <select value={type} onChange={(e) => setType(e.target.value)} data-testid="file-add-type">
              {TYPES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Version (firmware; read from the image header if blank)
            <input value={version} onChange={(e) => setVersion(e.target.value)} data-testid="file-add-version" />
          </label>
          <label>
            Product class (blank: any)
            <input value={productClass} onChange={(e) => setProductClass(e.target.value)} />
          </label>
        </div>
        <div className="actions">
          <button
            className="primary"
            onClick={() => input.current?.click()}
            disabled={busy !== null}
            data-testid="file-add"
          >
            {busy ? <Spinner label={`Adding ${busy}…`} /> : 'Add file…'}
          </button>
          {busy && (
            <button onClick={() => abort.current?.abort()} data-testid="file-add-cancel">
              Cancel
            </button>
          )}
          <span className="muted small">
            or drop a file here · up to the library&apos;s cap (Settings, files); on the bench&apos;s computer also{' '}
            <code className="mono">bench-acs files add FILE --type firmware --version V</code>
          </span>
        </div>
        {busy && progress && (
          <div data-testid="file-add-progress" data-state="running">
            <div className="progress-line">
              {`Adding ${busy}: ${progress.size ? Math.floor((progress.sent * 100) / progress.size) : 100} % (${mb(progress.sent)} of ${mb(progress.size)} MB)`}
            </div>
            <progress
              max={progress.size || 1}
              value={progress.sent}
              aria-label={`${busy}: ${progress.sent} of ${progress.size} bytes sent`}
            />
          </div>
        )}
        <input
          ref={input}
          type="file"
          hidden
          aria-label="File to add"
          onChange={(e) => void add(e.target.files?.[0])}
          data-testid="file-add-input"
        />
        {result && (
          <Note kind={result.ok ? 'ok' : 'warn'} testId="file-add-result" state={result.ok ? 'done' : 'failed'}>
            {result.message}
          </Note>
        )}
      </div>
    </div>
  )
}

function FileTable({ files, onRemoved }: { files: LibraryFile[]; onRemoved: () => void }) {
  const now = useNow(5000)
  const [error, setError] = useState<string | null>(null)
  const remove = async (name: string) => {
    if (!window.confirm(`Remove ${name} from the library? Devices fetching it now are cut off.`)) return
    setError(null)
    try {
      await bench.files.remove(name)
      onRemoved()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  return (
    <>
      <ErrorNote error={error} />
      <table className="plain" data-testid="files">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Size</th>
            <th>Version</th>
            <th>Product class</th>
            <th>Added</th>
            <th>Downloads</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.name} data-testid="file-row" data-name={f.name}>
              <td className="mono" title={f.description || f.sha256}>
                {f.name}
                {f.ownerSerial && <div className="muted small">uploaded by {f.ownerSerial}</div>}
              </td>
              <td>{f.fileType}</td>
              <td>{size(f.size)}</td>
              <td className="mono">{f.version || '—'}</td>
              <td>{f.productClass || 'any'}</td>
              <td title={dateTime(f.addedAt)}>{ago(f.addedAt, now)}</td>
              <td data-testid="file-downloads">{f.downloads}</td>
              <td>
                <button className="link danger" onClick={() => void remove(f.name)} data-testid="file-remove">
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function FetchLog({ fetches }: { fetches: FileFetch[] | undefined }) {
  if (!fetches) return <Spinner label="Loading the fetch log…" />
  if (fetches.length === 0)
    return <p className="muted">No device has fetched a file yet. Send one from a device page (Download file…).</p>
  return (
    <table className="plain small" data-testid="fetch-log">
      <thead>
        <tr>
          <th>When</th>
          <th>File</th>
          <th>Device</th>
          <th>Range</th>
          <th>Status</th>
          <th>Bytes</th>
          <th>Took</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {fetches.map((f) => (
          <tr key={f.id} data-testid="fetch-row" data-name={f.name} data-outcome={f.outcome}>
            <td>{dateTime(f.startedAt)}</td>
            <td className="mono">{f.name}</td>
            <td className="mono">{f.serial ?? f.remoteAddress}</td>
            <td className="mono">{f.range ?? 'whole file'}</td>
            <td>
              {f.method} {f.status}
            </td>
            <td>
              {f.bytes.toLocaleString()} of {f.expected.toLocaleString()}
            </td>
            <td>{duration(f.durationMs)}</td>
            <td>{f.outcome === 'complete' ? 'complete' : 'cut off'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1048576).toFixed(1)} MB`
}

/** The file's bytes as base64, read by the browser (a data: URL without its prefix). */
function mb(bytes: number): string {
  return (bytes / 1048576).toFixed(1)
}
