import { useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { BillingMode, TableChange, TableFacts } from '../../api/types'
import { ChoiceGroup } from '../../components/ChoiceGroup'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { focusById } from '../../components/focus'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { capacityChange, type CapacityDraft } from './capacity'

/** Changing the table's billing mode or capacity, after saying that it costs money. */
export function CapacityForm({ table, onChanged }: { table: TableFacts; onChanged(): void }) {
  const { client } = useServices()
  const [draft, setDraft] = useState<CapacityDraft>(() => ({
    billing_mode: table.billing_mode,
    read_capacity: String(table.read_capacity || 5),
    write_capacity: String(table.write_capacity || 5),
  }))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [done, setDone] = useState<string>()

  const checked = capacityChange(draft, table)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setDone(undefined)
    setErrors(checked.errors)
    const first = Object.keys(checked.errors)[0]
    if (first) focusById(`capacity-${first}`)
    else if (checked.change) setConfirming(true)
    else setDone('Nothing to change: the table already has these settings.')
  }

  const apply = () => {
    if (!checked.change) return
    setBusy(true)
    setError(undefined)
    client
      .updateStorage(checked.change)
      .then((updated) => {
        setDone(updated.status === 'ACTIVE' ? 'The table was changed.' : `AWS is applying the change (table status: ${updated.status}).`)
        onChanged()
      })
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => {
        setBusy(false)
        setConfirming(false)
      })
  }

  const provisioned = draft.billing_mode === 'PROVISIONED'
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="capacity-title">
      <h2 id="capacity-title">Capacity and billing</h2>
      <ChoiceGroup<BillingMode>
        id="capacity-billing_mode"
        name="capacity-billing_mode"
        legend="Billing mode"
        value={draft.billing_mode}
        onChange={(billing_mode) => setDraft({ ...draft, billing_mode })}
        choices={[
          { value: 'PROVISIONED', label: 'Provisioned capacity', hint: 'A fixed number of read and write units, billed by the hour.' },
          { value: 'PAY_PER_REQUEST', label: 'On demand', hint: 'Billed per request; nothing to size.' },
        ]}
      />
      {provisioned && (
        <div className="field-row">
          <TextField
            id="capacity-read_capacity"
            label="Read capacity units"
            inputMode="numeric"
            value={draft.read_capacity}
            onChange={(read_capacity) => setDraft({ ...draft, read_capacity })}
            error={errors.read_capacity}
          />
          <TextField
            id="capacity-write_capacity"
            label="Write capacity units"
            inputMode="numeric"
            value={draft.write_capacity}
            onChange={(write_capacity) => setDraft({ ...draft, write_capacity })}
            error={errors.write_capacity}
          />
        </div>
      )}
      <p className="hint">AWS allows switching between the two billing modes once every 24 hours.</p>
      <ErrorMessage message={error} />
      <StatusMessage tone="success">{done}</StatusMessage>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Apply changes
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Change the table?"
        confirmLabel={busy ? 'Changing…' : 'Change the table'}
        busy={busy}
        onConfirm={apply}
        onCancel={() => setConfirming(false)}
      >
        <p>This changes the table in AWS and may change your bill.</p>
        {checked.change && <p>{describeChange(checked.change)}</p>}
      </ConfirmDialog>
    </form>
  )
}

function describeChange(change: TableChange): string {
  if (change.billing_mode === 'PAY_PER_REQUEST') return 'New setting: on demand (billed per request).'
  return `New setting: provisioned, ${change.read_capacity} read units and ${change.write_capacity} write units.`
}
