import type { ReactNode } from 'react'
import { DURATION_UNITS, type DurationDraft, type DurationUnit } from '../lib/duration'
import { SelectField } from './SelectField'
import { TextField } from './TextField'

interface DurationFieldProps {
  /** The number's id; the unit select's is `<id>-unit` (`cred-ttl` and `cred-ttl-unit`). */
  id: string
  label: string
  /** The unit select's label; it must not contain `label` (tests find fields by label). */
  unitLabel: string
  value: DurationDraft
  onChange(value: DurationDraft): void
  /** The units offered, all of them unless given. */
  units?: readonly DurationUnit[]
  /** `decimal` where fractions are taken (1.5 hours). */
  inputMode?: 'numeric' | 'decimal'
  /** Tied to the number, as is the error. */
  hint?: ReactNode
  error?: string
}

/** A duration as a number and a unit, each with its own label. */
export function DurationField({ id, label, unitLabel, value, onChange, units, inputMode = 'numeric', hint, error }: DurationFieldProps) {
  const options = units ? DURATION_UNITS.filter((u) => units.includes(u.value)) : DURATION_UNITS
  return (
    <div className="duration-field">
      <TextField
        id={id}
        label={label}
        inputMode={inputMode}
        value={value.amount}
        onChange={(amount) => onChange({ ...value, amount })}
        hint={hint}
        error={error}
      />
      <SelectField
        id={`${id}-unit`}
        label={unitLabel}
        value={value.unit}
        options={options}
        onChange={(unit) => onChange({ ...value, unit })}
      />
    </div>
  )
}
