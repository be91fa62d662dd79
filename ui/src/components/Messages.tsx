import type { ReactNode } from 'react'

/**
 * An error that is announced at once (role=alert), with optional advice under it. `id` lets a
 * field name it in aria-describedby.
 */
export function ErrorMessage({ id, message, children }: { id?: string; message: string | undefined; children?: ReactNode }) {
  if (!message) return null
  return (
    <div id={id} className="alert alert-error" role="alert">
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
