import { useState, type ReactNode } from 'react'
import { bench } from '../lib/bench'
import { useLoad } from '../lib/hooks'
import { href } from '../lib/router'
import { Spinner } from './ui'

const FILE_TYPES = [
  '1 Firmware Upgrade Image',
  '2 Web Content',
  '3 Vendor Configuration File',
  '4 Tone File',
  '5 Ringer File',
]

/** The Download dialog: a file of the library (served by the bench) or any URL the device can reach. */
export function DownloadForm(props: {
  busy: boolean
  onCancel: () => void
  onSubmit: (req: { url: string; fileType: string; username: string; password: string; targetFileName: string }) => void
  onLibrary: (name: string) => void
}) {
  const files = useLoad(() => bench.files.list(), [])
  const [chosen, setSource] = useState<'library' | 'url' | null>(null)
  const [name, setName] = useState('')
  // The technician's own files; a device's uploads are there too (to restore a backup).
  const pick = name || files.data?.[0]?.name || ''
  if (files.loading && !files.data) return <Spinner label="Reading the file library…" />
  // The library when it has files; else a URL (the library's own note says how to fill it).
  const source = chosen ?? (files.data?.length ? 'library' : 'url')
  if (source === 'library')
    return (
      <form
        className="card form"
        data-testid="download-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (pick) props.onLibrary(pick)
        }}
      >
        <Source source={source} onChange={setSource} />
        {files.data?.length === 0 ? (
          <span className="hint" data-testid="download-library-empty">
            The library is empty: <a href={href('files')}>add a file on the Files page</a>, or send a URL.
          </span>
        ) : (
          <label>
            Library file
            <select value={pick} onChange={(e) => setName(e.target.value)} data-testid="download-library-file">
              {files.data?.map((f) => (
                <option key={f.name} value={f.name}>
                  {`${f.name} · ${f.fileType}${f.version ? ` · ${f.version}` : ''}`}
                </option>
              ))}
            </select>
          </label>
        )}
        {files.error && <span className="invalid-text">{files.error}</span>}
        <Actions ready={Boolean(pick)} busy={props.busy} onCancel={props.onCancel} />
      </form>
    )
  return <UrlForm {...props} source={<Source source={source} onChange={setSource} />} />
}

function Source(props: { source: 'library' | 'url'; onChange: (s: 'library' | 'url') => void }) {
  return (
    <label>
      Send
      <select
        value={props.source}
        onChange={(e) => props.onChange(e.target.value as 'library' | 'url')}
        data-testid="download-source"
      >
        <option value="library">a file of the library (the bench serves it)</option>
        <option value="url">a file at a URL</option>
      </select>
    </label>
  )
}

/** Send and Cancel, the same for a library file and a URL: Send waits for a choice and for the last send. */
function Actions(props: { ready: boolean; busy: boolean; onCancel: () => void }) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={!props.ready || props.busy} data-testid="download-submit">
        {props.busy ? <Spinner label="Sending Download…" /> : 'Send Download'}
      </button>
      <button type="button" onClick={props.onCancel} data-testid="download-cancel">
        Cancel
      </button>
    </div>
  )
}

function UrlForm(props: {
  busy: boolean
  source: ReactNode
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
      {props.source}
      <label>
        File URL
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="http://192.168.1.10:8000/firmware.bin"
          aria-invalid={Boolean(url) && !urlOk}
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
      <Actions ready={urlOk} busy={props.busy} onCancel={props.onCancel} />
    </form>
  )
}
