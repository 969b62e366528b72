import type { ReactNode } from 'react'
import { useApp } from '../lib/context'
import { STATUS_LABEL } from '../lib/format'

/** A device's state; "unknown" while the connection to the server is lost (it may have died meanwhile). */
export function StatusBadge({ status }: { status: number }) {
  const { stale } = useApp()
  const label = stale ? 'unknown' : (STATUS_LABEL[status] ?? 'unknown')
  return (
    <span
      className={stale ? 'badge status-unknown' : `badge status-${status}`}
      data-testid="device-status"
      data-status={label}
      title={stale ? 'Not known while the connection to Bench ACS is lost' : undefined}
    >
      <span className="dot" />
      {label}
    </span>
  )
}

export function Empty({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId ?? 'empty-state'}>
      <div className="empty-title">{title}</div>
      {children && <div className="empty-body">{children}</div>}
    </div>
  )
}

export function ErrorNote({ error, onRetry }: { error: string | null | undefined; onRetry?: () => void }) {
  if (!error) return null
  return (
    <div className="note error" role="alert" data-testid="error">
      <span>{error}</span>
      {onRetry && (
        <button className="link" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function Note({
  kind,
  children,
  testId,
  state,
}: {
  kind: 'ok' | 'info' | 'warn'
  children: ReactNode
  testId?: string
  /** For tests and styles: what stage the thing noted is at (e.g. "waiting", "done"). */
  state?: string
}) {
  return (
    <div className={`note ${kind}`} data-testid={testId} data-state={state}>
      {children}
    </div>
  )
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" />
      {label && <span>{label}</span>}
    </span>
  )
}

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </header>
  )
}
