import type { ReactNode } from 'react'

interface StatementEditorProps {
  id: string
  label: string
  value: string
  onChange(value: string): void
  hint?: ReactNode
  error?: string
  rows?: number
  placeholder?: string
}

/** A monospace SQL editor: one statement list entry, statements separated by `;`. */
export function StatementEditor({ id, label, value, onChange, hint, error, rows = 4, placeholder }: StatementEditorProps) {
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="db-sql"
        value={value}
        rows={rows}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
      />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
