import type { ReactNode } from 'react'

export interface Choice<V extends string> {
  value: V
  label: string
  hint?: ReactNode
}

interface ChoiceGroupProps<V extends string> {
  /** Given to the selected radio, so that an error on the group can focus it. */
  id: string
  legend: string
  name: string
  value: V
  choices: readonly Choice<V>[]
  onChange(value: V): void
  error?: string
}

/**
 * Radio buttons in a fieldset: arrow keys move between choices, as native radios do. An error
 * is tied to each radio, since a radio is what has the focus when it is read.
 */
export function ChoiceGroup<V extends string>({ id, legend, name, value, choices, onChange, error }: ChoiceGroupProps<V>) {
  const errorId = error ? `${id}-error` : undefined
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {choices.map((choice) => {
        const hintId = choice.hint ? `${name}-${choice.value}-hint` : undefined
        return (
          <label key={choice.value} className="choice">
            <input
              type="radio"
              id={choice.value === value ? id : undefined}
              name={name}
              value={choice.value}
              checked={choice.value === value}
              onChange={() => onChange(choice.value)}
              aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
              aria-invalid={error ? true : undefined}
            />
            <span>
              <span className="choice-label">{choice.label}</span>
              {choice.hint && (
                <span id={hintId} className="choice-hint">
                  {choice.hint}
                </span>
              )}
            </span>
          </label>
        )
      })}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}
