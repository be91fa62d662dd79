import type { ReactNode } from 'react'

interface SelectFieldProps {
  id: string
  label: string
  value: string
  options: readonly { value: string; label: string }[]
  onChange(value: string): void
  hint?: ReactNode
}

/** A labelled native select (the shared components have none), its hint read with it. */
export function SelectField({ id, label, value, options, onChange, hint }: SelectFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined
  return (
    <div className="field lease-select">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hintId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  )
}
