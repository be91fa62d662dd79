import { TextField } from '../../components/TextField'
import { formatSpan, UNITS, type TtlChoice, type TtlDraft, type TtlLimits, type TtlUnit } from './ttl'

interface TtlPickerProps {
  draft: TtlDraft
  limits: TtlLimits
  choice: TtlChoice
  onChange(draft: TtlDraft): void
}

/** How long the credential should live: a number and a unit, within the role's max TTL. */
export function TtlPicker({ draft, limits, choice, onChange }: TtlPickerProps) {
  const bounds = [
    limits.defaultTtl !== undefined ? `Default ${formatSpan(limits.defaultTtl)}` : 'Empty for the default TTL',
    limits.maxTtl !== undefined ? `at most ${formatSpan(limits.maxTtl)}` : undefined,
  ]
    .filter(Boolean)
    .join('; ')
  const hint =
    choice.capped && choice.seconds !== undefined
      ? `${bounds}. The role allows no more, so the credential gets ${formatSpan(choice.seconds)}.`
      : `${bounds}.`
  return (
    <div className="field-row ttl-picker">
      <TextField
        id="cred-ttl"
        label="Time to live"
        inputMode="decimal"
        value={draft.amount}
        onChange={(amount) => onChange({ ...draft, amount })}
        error={choice.error}
        hint={hint}
      />
      <div className="field ttl-unit">
        <label htmlFor="cred-ttl-unit">Unit</label>
        <select id="cred-ttl-unit" value={draft.unit} onChange={(e) => onChange({ ...draft, unit: e.target.value as TtlUnit })}>
          {UNITS.map((unit) => (
            <option key={unit.value} value={unit.value}>
              {unit.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}
