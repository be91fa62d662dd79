import type { LeaseCounts, LeaseFilter } from '../../api/leases'
import { Checkbox } from '../../components/Checkbox'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { expiringChoices } from './query'

interface LeaseFiltersProps {
  filter: LeaseFilter
  counts: LeaseCounts | undefined
  /** `typed`: a text field changed, so the page waits for a pause in typing before searching. */
  onChange(filter: LeaseFilter, typed: boolean): void
}

/** The list's filters: a choice applies at once, typing a moment after the last keystroke. */
export function LeaseFilters({ filter, counts, onChange }: LeaseFiltersProps) {
  const mounts = Object.keys(counts?.mounts ?? {}).sort()
  if (filter.mount && !mounts.includes(filter.mount)) mounts.push(filter.mount)
  const roleSource = filter.mount ? [filter.mount] : mounts
  const roles = [...new Set(roleSource.flatMap((m) => Object.keys(counts?.mounts[m]?.roles ?? {})))].filter(Boolean).sort()
  const set = (change: Partial<LeaseFilter>, typed = false) => onChange({ ...filter, ...change }, typed)
  return (
    <div className="lease-filters" role="group" aria-label="Filters">
      <div className="field-row">
        <SelectField
          id="lease-filter-mount"
          label="Mount"
          value={filter.mount}
          options={[{ value: '', label: 'All mounts' }, ...mounts.map((m) => ({ value: m, label: m }))]}
          onChange={(mount) => set({ mount })}
        />
        <TextField id="lease-filter-role" label="Role" value={filter.role} onChange={(role) => set({ role }, true)} list="lease-role-names" />
        <datalist id="lease-role-names">
          {roles.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
      </div>
      <div className="field-row">
        <TextField
          id="lease-filter-prefix"
          label="Lease ID prefix"
          value={filter.prefix}
          onChange={(prefix) => set({ prefix }, true)}
          placeholder="database/creds/readonly/"
        />
        <SelectField
          id="lease-filter-expiring"
          label="Expiring"
          value={filter.expiringWithin}
          options={expiringChoices(filter.expiringWithin)}
          onChange={(expiringWithin) => set({ expiringWithin })}
          hint={filter.expiringWithin ? 'Sorted by expiry, soonest first; irrevocable leases are not included.' : undefined}
        />
      </div>
      <Checkbox id="lease-filter-irrevocable" checked={filter.irrevocable} onChange={(irrevocable) => set({ irrevocable })}>
        Irrevocable only
      </Checkbox>
    </div>
  )
}
