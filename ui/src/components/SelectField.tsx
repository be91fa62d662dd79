import type { ReactNode } from 'react'
import { fieldAria, FieldNotes } from './FieldNotes'

export interface SelectOption<V extends string> {
  value: V
  label: string
}

interface SelectFieldProps<V extends string> {
  id: string
  label: string
  value: V
  options: readonly SelectOption<V>[]
  onChange(value: V): void
  /** Shown under the field, tied to it with aria-describedby. */
  hint?: ReactNode
  error?: string
}

/** A labelled native select whose hint and error are read out with it, like `TextField`. */
export function SelectField<V extends string>({ id, label, value, options, onChange, hint, error }: SelectFieldProps<V>) {
  return (
    <div className="field select-field">
      <label htmlFor={id}>{label}</label>
      {/* The options are exactly `options`, so the value read back is one of them. */}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as V)} {...fieldAria(id, hint, error)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  )
}
