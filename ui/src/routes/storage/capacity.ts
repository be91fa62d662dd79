import type { BillingMode, TableChange, TableFacts } from '../../api/types'

/** The capacity form as typed. */
export interface CapacityDraft {
  billing_mode: BillingMode
  read_capacity: string
  write_capacity: string
}

/**
 * The change to send for the form, checked: capacities are whole numbers of at least 1 (and
 * are only sent for provisioned tables). `change` is undefined when there are errors or when
 * the table already has these settings.
 */
export function capacityChange(
  draft: CapacityDraft,
  table: TableFacts,
): { errors: Record<string, string>; change?: TableChange } {
  if (draft.billing_mode === 'PAY_PER_REQUEST') {
    return table.billing_mode === 'PAY_PER_REQUEST' ? { errors: {} } : { errors: {}, change: { billing_mode: 'PAY_PER_REQUEST' } }
  }
  const errors: Record<string, string> = {}
  const units = (key: 'read_capacity' | 'write_capacity'): number => {
    const text = draft[key].trim()
    const n = /^\d+$/.test(text) ? Number(text) : 0
    if (n < 1) errors[key] = 'Enter a whole number of units, at least 1.'
    return n
  }
  const read_capacity = units('read_capacity')
  const write_capacity = units('write_capacity')
  if (Object.keys(errors).length > 0) return { errors }
  const same =
    table.billing_mode === 'PROVISIONED' && table.read_capacity === read_capacity && table.write_capacity === write_capacity
  return same ? { errors } : { errors, change: { billing_mode: 'PROVISIONED', read_capacity, write_capacity } }
}
