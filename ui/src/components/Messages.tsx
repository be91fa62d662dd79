import type { ReactNode } from 'react'

/** An error that is announced at once (role=alert), with optional advice under it. */
export function ErrorMessage({ message, children }: { message: string | undefined; children?: ReactNode }) {
  if (!message) return null
  return (
    <div className="alert alert-error" role="alert">
      <p>{message}</p>
      {children}
    </div>
  )
}

/**
 * A status line that screen readers announce when it changes. The live region stays mounted
 * (empty when there is nothing to say): regions added together with their text are often not read.
 */
export function StatusMessage({ children, tone = 'info' }: { children?: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={children ? `alert alert-${tone}` : 'visually-empty'} role="status" aria-live="polite">
      {children}
    </div>
  )
}
