import { useRef, useState } from 'react'
import { bench } from '../lib/bench'
import { messageOf } from '../lib/hooks'

/**
 * A file setting. The path is never typed: the technician chooses the file, the page sends its
 * content to the bench (files.upload), which keeps a copy and answers with the path to save. The
 * API takes no other path (docs/security.md), so a page that reaches it cannot read other files.
 */
export function FileField({
  label,
  value,
  onChange,
  accept,
  placeholder = 'none',
  testId,
}: {
  label: string
  value: string
  onChange: (path: string) => void
  accept?: string
  placeholder?: string
  testId?: string
}) {
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const choose = async (file: File | undefined) => {
    if (!file) return
    setBusy(true)
    setError(null)
    try {
      onChange((await bench.files.upload(file.name, await file.text())).path)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
      if (input.current) input.current.value = ''
    }
  }
  return (
    <label>
      {label}
      <span className="row">
        <input value={value} readOnly placeholder={placeholder} title={value} data-testid={testId} />
        <button type="button" onClick={() => input.current?.click()} disabled={busy}>
          Choose file…
        </button>
        {value && (
          <button type="button" onClick={() => onChange('')} disabled={busy}>
            Clear
          </button>
        )}
      </span>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        onChange={(e) => void choose(e.target.files?.[0])}
        data-testid={testId && `${testId}-file`}
      />
      {error && <span className="invalid-text">{error}</span>}
    </label>
  )
}
