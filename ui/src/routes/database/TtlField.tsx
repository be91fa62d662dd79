import { TTL_UNITS, type TtlDraft, type TtlUnit } from './ttl'

interface TtlFieldProps {
  id: string
  label: string
  /** The unit select's accessible name; it must not contain `label` (tests find fields by label). */
  unitLabel: string
  value: TtlDraft
  onChange(value: TtlDraft): void
  hint?: string
  error?: string
}

/** A duration as a whole number and a unit, with its hint and error tied to the number. */
export function TtlField({ id, label, unitLabel, value, onChange, hint, error }: TtlFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  return (
    <div className="field db-ttl">
      <label htmlFor={id}>{label}</label>
      <div className="field-input">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={value.amount}
          onChange={(e) => onChange({ ...value, amount: e.target.value })}
          aria-invalid={error ? true : undefined}
          aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
          autoComplete="off"
        />
        <label className="db-unit">
          <span aria-hidden="true">Unit</span>
          <select className="db-select" aria-label={unitLabel} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as TtlUnit })}>
            {TTL_UNITS.map((u) => (
              <option key={u.value} value={u.value}>
                {u.label}
              </option>
            ))}
          </select>
        </label>
      </div>
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
