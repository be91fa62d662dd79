import type { RoleRead } from '../../api/database'
import { hrefOf } from '../../app/router'
import { ErrorMessage } from '../../components/Messages'
import type { ListState } from './MountSection'
import { formatTtl } from './ttl'

/** The roles of one mount with their connection and TTLs, linking to their editor and to checkout. */
export function RolesList({
  mount,
  state,
  counts,
}: {
  mount: string
  state: ListState<RoleRead>
  counts: Record<string, number> | undefined
}) {
  return (
    <div className="db-list">
      <div className="db-list-header">
        <h3>Roles</h3>
        <a className="db-button-link" href={hrefOf('database', 'roles', mount)}>
          Add role
        </a>
      </div>
      {state === undefined && <p className="hint">Loading roles…</p>}
      {state && 'denied' in state && (
        <p className="db-denied">
          The roles of {mount}/ cannot be listed. {state.denied}
        </p>
      )}
      {state && 'error' in state && <ErrorMessage message={state.error} />}
      {state && 'rows' in state && state.rows.length === 0 && (
        <p className="hint">No roles yet. A role says which statements create a user, and for how long it lives.</p>
      )}
      {state && 'rows' in state && state.rows.length > 0 && (
        <table className="db-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Connection</th>
              <th scope="col">Default TTL</th>
              <th scope="col">Max TTL</th>
              {counts && <th scope="col">Live credentials</th>}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.rows.map(({ name, read, error }) => (
              <tr key={name}>
                <th scope="row">
                  <a href={hrefOf('database', 'roles', mount, name)}>{name}</a>
                </th>
                {read ? (
                  <>
                    <td className="mono">{read.db_name}</td>
                    <td>{formatTtl(read.default_ttl, 'mount default')}</td>
                    <td>{formatTtl(read.max_ttl, 'mount maximum')}</td>
                  </>
                ) : (
                  <td colSpan={3} className="hint">
                    {error ?? 'Not found.'}
                  </td>
                )}
                {counts && <td>{counts[name] ?? 0}</td>}
                <td>
                  <a href={hrefOf('credentials')} aria-label={`Check out ${name}`}>
                    Check out
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
