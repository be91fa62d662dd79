import { useState, type InputHTMLAttributes, type ReactNode } from 'react'
import { fieldAria, FieldNotes } from './FieldNotes'

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'type'>

interface TextFieldProps extends InputProps {
  id: string
  label: string
  value: string
  onChange(value: string): void
  /** Shown under the field, tied to it with aria-describedby. */
  hint?: ReactNode
  error?: string
  /** Masks the value (shares, tokens, secret keys) with a button to show it. */
  secret?: boolean
}

/** A labelled text input whose hint and error are read out with it. */
export function TextField({ id, label, value, onChange, hint, error, secret, ...input }: TextFieldProps) {
  const [shown, setShown] = useState(false)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="field-input">
        <input
          id={id}
          type={secret && !shown ? 'password' : 'text'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          {...fieldAria(id, hint, error)}
          spellCheck={false}
          autoComplete="off"
          {...input}
        />
        {secret && (
          <button
            type="button"
            className="quiet"
            aria-label={`${shown ? 'Hide' : 'Show'} ${label.toLowerCase()}`}
            onClick={() => setShown(!shown)}
          >
            {shown ? 'Hide' : 'Show'}
          </button>
        )}
      </div>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  )
}
