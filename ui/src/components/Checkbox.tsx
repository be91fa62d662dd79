import type { ReactNode } from 'react'

interface CheckboxProps {
  id: string
  checked: boolean
  onChange(checked: boolean): void
  children: ReactNode
  hint?: ReactNode
  disabled?: boolean
  /** Why the current token may not choose this: the box is disabled and the reason follows the hint. */
  deniedReason?: string | undefined
  /** Neither checked nor not: a "select all" when only some are selected. */
  indeterminate?: boolean
}

/** A checkbox with its label beside it and an optional explanation read with it. */
export function Checkbox({ id, checked, onChange, children, hint, disabled, deniedReason, indeterminate }: CheckboxProps) {
  const described = hint || deniedReason
  const hintId = described ? `${id}-hint` : undefined
  return (
    <div className="check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        // Only a DOM property, not an attribute.
        ref={(el) => {
          if (el) el.indeterminate = indeterminate ?? false
        }}
        disabled={disabled || deniedReason !== undefined}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hintId}
      />
      <label htmlFor={id}>{children}</label>
      {described && (
        <p id={hintId} className="field-hint">
          {hint}
          {hint && deniedReason && ' '}
          {deniedReason}
        </p>
      )}
    </div>
  )
}
