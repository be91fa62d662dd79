import type { LeaseCounts } from '../../api/leases'
import { Equivalent } from '../../components/Equivalent'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { formatCount } from '../../lib/format'

interface CountsPanelProps {
  counts: LeaseCounts | undefined
  error: string | undefined
  denied: string | undefined
  onMount(mount: string): void
  onRole(mount: string, role: string): void
  onIrrevocable(): void
}

/** How many leases there are, per mount and role; a mount or role filters the list. */
export function CountsPanel({ counts, error, denied, onMount, onRole, onIrrevocable }: CountsPanelProps) {
  const mounts = Object.entries(counts?.mounts ?? {}).sort(([a], [b]) => a.localeCompare(b))
  return (
    <section className="card" aria-labelledby="lease-counts-title">
      <h2 id="lease-counts-title">Lease counts</h2>
      {denied ? (
        <p className="hint">{denied} The counts cannot be shown.</p>
      ) : (
        <>
          <ErrorMessage message={error} />
          <StatusMessage tone="warning">
            {counts?.restoring && 'Leases are still being loaded from storage after the unseal: the counts grow until that is done.'}
          </StatusMessage>
          {counts && (
            <>
              <dl className="facts">
                <dt>Leases</dt>
                <dd>{formatCount(counts.total)}</dd>
                <dt>Irrevocable</dt>
                <dd>
                  {formatCount(counts.irrevocable)}
                  {counts.irrevocable > 0 && (
                    <>
                      {' '}
                      <button type="button" className="link" onClick={onIrrevocable}>
                        Show irrevocable leases
                      </button>
                    </>
                  )}
                </dd>
              </dl>
              {mounts.length > 0 && (
                <table className="lease-counts">
                  <caption className="visually-hidden">Leases by mount and role</caption>
                  <thead>
                    <tr>
                      <th scope="col">Mount</th>
                      <th scope="col">Role</th>
                      <th scope="col" className="num">
                        Leases
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {mounts.map(([mount, m]) => (
                      <MountRows key={mount} mount={mount} total={m.total} roles={m.roles} onMount={onMount} onRole={onRole} />
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
          <Equivalent call={{ method: 'GET', path: 'sys/leases/counts' }} />
        </>
      )}
    </section>
  )
}

function MountRows({
  mount,
  total,
  roles,
  onMount,
  onRole,
}: {
  mount: string
  total: number
  roles: Record<string, number>
  onMount(mount: string): void
  onRole(mount: string, role: string): void
}) {
  // Engines without roles (a leased kv) count everything under "": no row to add then.
  const sorted = Object.entries(roles)
    .filter(([role]) => role !== '' || Object.keys(roles).length > 1)
    .sort(([a], [b]) => a.localeCompare(b))
  return (
    <>
      <tr className="lease-counts-mount">
        <th scope="row" colSpan={2}>
          <button type="button" className="link" onClick={() => onMount(mount)} aria-label={`Show leases of mount ${mount}`}>
            {mount}
          </button>
        </th>
        <td className="num">{formatCount(total)}</td>
      </tr>
      {sorted.map(([role, count]) => (
        <tr key={role}>
          <td />
          <td>
            {role === '' ? (
              <span className="hint-inline">(no role)</span>
            ) : (
              <button type="button" className="link" onClick={() => onRole(mount, role)} aria-label={`Show leases of role ${role} on ${mount}`}>
                {role}
              </button>
            )}
          </td>
          <td className="num">{formatCount(count)}</td>
        </tr>
      ))}
    </>
  )
}
