import { useState } from 'react'
import { Checkbox } from '../../components/Checkbox'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { applyPreset, PRESETS, type PresetId } from './presets'

/** Fills the statement editors from a preset for one schema. */
export function PresetPanel({ onApply }: { onApply(statements: ReturnType<typeof applyPreset>): void }) {
  const [preset, setPreset] = useState<PresetId>('readonly')
  const [schema, setSchema] = useState('public')
  const [explicit, setExplicit] = useState(false)

  return (
    <fieldset className="subform db-presets">
      <legend>Presets</legend>
      <div className="field-row">
        <SelectField
          id="db-role-preset"
          label="Preset"
          value={preset}
          options={PRESETS.map((p) => ({ value: p.id, label: p.label }))}
          onChange={(id) => setPreset(id)}
          hint={PRESETS.find((p) => p.id === preset)?.hint}
        />
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
