import { useEffect, useState } from 'react'
import { useServices } from '../app/services'
import { messageOf } from '../lib/format'

/** How long copied text stays on the clipboard. */
export const CLEAR_AFTER_MS = 30_000

/**
 * Copies `text` and clears the clipboard 30 s later (if it still holds it), so shares and
 * policies do not linger there; the button says so while the clock runs.
 */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const { platform } = useServices()
  const [copied, setCopied] = useState(false)
  const [error, setError] = useState<string>()

  useEffect(() => {
    if (!copied) return undefined
    const id = window.setTimeout(() => setCopied(false), CLEAR_AFTER_MS)
    return () => window.clearTimeout(id)
  }, [copied])

  const copy = () => {
    setError(undefined)
    platform
      .copy(text, CLEAR_AFTER_MS)
      .then(() => setCopied(true))
      .catch((e: unknown) => setError(`Could not copy: ${messageOf(e)}`))
  }

  return (
    <>
      <button type="button" onClick={copy}>
        {copied ? 'Copied — clears in 30 s' : label}
      </button>
      <span className="visually-hidden" role="status">
        {copied ? 'Copied. The clipboard is cleared in 30 seconds.' : ''}
      </span>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}
