import { useState } from 'react'
import { Checkbox } from '../../components/Checkbox'
import { TextField } from '../../components/TextField'
import { applyPreset, PRESETS, type PresetId } from './presets'

/** Fills the statement editors from a preset for one schema. */
export function PresetPanel({ onApply }: { onApply(statements: ReturnType<typeof applyPreset>): void }) {
  const [preset, setPreset] = useState<PresetId>('readonly')
  const [schema, setSchema] = useState('public')
  const [explicit, setExplicit] = useState(false)
  const hint = PRESETS.find((p) => p.id === preset)?.hint

  return (
    <fieldset className="subform db-presets">
      <legend>Presets</legend>
      <div className="field-row">
        <div className="field">
          <label htmlFor="db-role-preset">Preset</label>
          <select id="db-role-preset" className="db-select" value={preset} onChange={(e) => setPreset(e.target.value as PresetId)} aria-describedby="db-role-preset-hint">
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <p id="db-role-preset-hint" className="field-hint">
            {hint}
          </p>
        </div>
        <TextField
          id="db-role-schema"
          label="Schema"
          value={schema}
          onChange={setSchema}
          hint={'Quoted as an identifier where PostgreSQL needs it: Sales becomes "Sales", public stays public.'}
        />
      </div>
      <Checkbox
        id="db-role-explicit-revocation"
        checked={explicit}
        onChange={setExplicit}
        hint="Off: the revocation editor is emptied, so Strongroom's default revocation runs (it does the same, skips the GRANT for a superuser connection, and can end sessions)."
      >
        Write out the default revocation too
      </Checkbox>
      <div className="actions">
        <button type="button" onClick={() => onApply(applyPreset(preset, schema, explicit))}>
          Apply preset
        </button>
        <span className="hint-inline">Replaces the creation, revocation and renew statements below.</span>
      </div>
    </fieldset>
  )
}
