import { TTL_UNITS, type TtlUnit } from './tokenForm'

/** The unit beside a TTL amount, with its own label so it is named on its own. */
interface UnitSelectProps {
  id: string
  label: string
  value: TtlUnit
  onChange(unit: TtlUnit): void
}

export function UnitSelect({ id, label, value, onChange }: UnitSelectProps) {
  return (
    <div className="field unit-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as TtlUnit)}>
        {TTL_UNITS.map((unit) => (
          <option key={unit.value} value={unit.value}>
            {unit.label}
          </option>
        ))}
      </select>
    </div>
  )
}
