import { memo } from 'react'
import type { ListedLease } from '../../api/leases'
import { GatedButton } from '../../components/GatedButton'
import type { Gates } from './gates'
import type { RowAction } from './RowActionDialog'
import { relativeTime } from './time'

interface LeaseTableProps {
  leases: ListedLease[]
  selected: ReadonlySet<string>
  onSelect(id: string, on: boolean): void
  gates: Gates
  onAction(action: RowAction): void
  /** Unix ms the relative times are counted from. */
  now: number
}

/**
 * One page of leases (never more: the server pages them). The row buttons' denied reasons are
 * read with each button but shown once above the table, not on every row. Memoized, rows too:
 * typing in a filter or ticking one checkbox must not re-render 500 rows.
 */
export const LeaseTable = memo(function LeaseTable({ leases, selected, onSelect, gates, onAction, now }: LeaseTableProps) {
  return (
    <div className="lease-table-wrap" tabIndex={0} role="region" aria-label="Leases on this page">
      <table className="lease-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Selected</span>
            </th>
            <th scope="col">Lease ID</th>
            <th scope="col">Mount</th>
            <th scope="col">Role</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {leases.map((lease, i) => (
            <LeaseRow
              key={lease.lease_id}
              index={i}
              lease={lease}
              checked={selected.has(lease.lease_id)}
              onSelect={onSelect}
              gates={gates}
              onAction={onAction}
              now={now}
            />
          ))}
        </tbody>
      </table>
    </div>
  )
})

const LeaseRow = memo(function LeaseRow({
  index,
  lease,
  checked,
  onSelect,
  gates,
  onAction,
  now,
}: {
  index: number
  lease: ListedLease
  checked: boolean
  onSelect(id: string, on: boolean): void
  gates: Gates
  onAction(action: RowAction): void
  now: number
}) {
  const id = lease.lease_id
  const checkId = `lease-row-${index}`
  const expires = Date.parse(lease.expire_time)
  const overdue = !lease.irrevocable && expires <= now
  const rowClass = [checked && 'lease-row-selected', lease.revoke_error && 'lease-row-with-error'].filter(Boolean).join(' ') || undefined
  return (
    <>
      <tr className={rowClass}>
        <td>
          <input id={checkId} type="checkbox" checked={checked} onChange={(e) => onSelect(id, e.target.checked)} />
        </td>
        <td className="lease-id">
          <label htmlFor={checkId} className="mono">
            {id}
          </label>
        </td>
        <td className="mono lease-mount">{lease.mount}</td>
        <td>{lease.role || <span className="hint-inline">(none)</span>}</td>
        <td>
          {relativeTime((expires - now) / 1000)}
          <br />
          <time dateTime={lease.expire_time} className="hint-inline">
            {new Date(expires).toLocaleString()}
          </time>
        </td>
        <td>
          {lease.irrevocable ? (
            <span className="lease-state lease-state-irrevocable">Irrevocable</span>
          ) : (
            <span className={overdue ? 'lease-state lease-state-overdue' : 'lease-state'}>{overdue ? 'Overdue' : 'Active'}</span>
          )}
        </td>
        <td>
          <div className="lease-row-actions">
            {lease.irrevocable ? (
              <GatedButton className="danger" deniedReason={gates.revokeForce} aria-label={`Force revoke ${id}`} onClick={() => onAction({ kind: 'force', lease })}>
                Force revoke
              </GatedButton>
            ) : (
              <GatedButton deniedReason={gates.renew} aria-label={`Renew ${id}`} onClick={() => onAction({ kind: 'renew', lease })}>
                Renew
              </GatedButton>
            )}
            <GatedButton className="danger" deniedReason={gates.revoke} aria-label={`Revoke ${id}`} onClick={() => onAction({ kind: 'revoke', lease })}>
              Revoke
            </GatedButton>
          </div>
        </td>
      </tr>
      {lease.revoke_error && (
        // The stored error gets the row's whole width below it: it is the reason to act.
        <tr className={checked ? 'lease-row-selected' : undefined}>
          <td />
          <td colSpan={6}>
            <p className="lease-error">
              <span className="visually-hidden">Stored error: </span>
              {lease.revoke_error}
            </p>
          </td>
        </tr>
      )}
    </>
  )
})
