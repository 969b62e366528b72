import { useEffect, useState } from 'react'

/**
 * Copies `text` to the clipboard and says so ("Copied") for a moment. The Clipboard API needs a
 * secure context (Electron, or the browser on 127.0.0.1); a browser on the LAN over plain http
 * gets the older selection copy; when both fail the button says to select and copy by hand.
 */
export function CopyButton({
  text,
  label = 'Copy',
  what,
  testId,
  className,
}: {
  text: string
  label?: string
  /** What is copied, for screen readers: "Copy the ACS URL". */
  what: string
  testId?: string
  className?: string
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), state === 'copied' ? 1500 : 4000)
    return () => clearTimeout(timer)
  }, [state])

  const copy = async () => {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState(copyBySelection(text) ? 'copied' : 'failed')
    }
  }

  return (
    <button
      type="button"
      className={`copy${state === 'copied' ? ' done' : ''}${className ? ` ${className}` : ''}`}
      onClick={() => void copy()}
      aria-label={state === 'idle' ? what : undefined}
      title={state === 'failed' ? 'Cannot reach the clipboard here: select the text and copy it by hand' : what}
      data-testid={testId}
      data-state={state}
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  )
}

function copyBySelection(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
  }
}
