import type { ReactNode } from 'react'

/**
 * The ARIA state of a field with a hint and an error: the error is linked first (so it is read
 * first) and marks the control invalid, so screen readers say what is wrong where it is wrong.
 */
export function fieldAria(id: string, hint: ReactNode, error: string | undefined) {
  const ids = [error ? `${id}-error` : undefined, hint ? `${id}-hint` : undefined].filter(Boolean)
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': ids.join(' ') || undefined,
  } as const
}

/** The hint and the error under a field, with the ids `fieldAria` links to. */
export function FieldNotes({ id, hint, error }: { id: string; hint: ReactNode; error: string | undefined }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  )
}
