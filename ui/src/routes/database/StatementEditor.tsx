import type { ReactNode } from 'react'
import { fieldAria, FieldNotes } from '../../components/FieldNotes'

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
        {...fieldAria(id, hint, error)}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
      />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  )
}
