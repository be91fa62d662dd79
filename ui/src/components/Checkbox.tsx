import type { ReactNode } from 'react'

interface CheckboxProps {
  id: string
  checked: boolean
  onChange(checked: boolean): void
  children: ReactNode
  hint?: ReactNode
}

/** A checkbox with its label beside it and an optional explanation read with it. */
export function Checkbox({ id, checked, onChange, children, hint }: CheckboxProps) {
  const hintId = hint ? `${id}-hint` : undefined
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hintId} />
      <label htmlFor={id}>{children}</label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  )
}
