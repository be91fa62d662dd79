import type { ConnectionRead } from '../../api/database'
import { hrefOf } from '../../app/router'
import { ErrorMessage } from '../../components/Messages'
import { maskUrl } from './connectionUrl'
import type { ListState } from './MountSection'

/** The connections of one mount with their key facts, linking to their editor. */
export function ConnectionsList({ mount, state }: { mount: string; state: ListState<ConnectionRead> }) {
  return (
    <div className="db-list">
      <div className="db-list-header">
        <h3>Connections</h3>
        <a className="db-button-link" href={hrefOf('database', 'connections', mount)}>
          Add connection
        </a>
      </div>
      {state === undefined && <p className="hint">Loading connections…</p>}
      {state && 'denied' in state && (
        <p className="db-denied">
          The connections of {mount}/ cannot be listed. {state.denied}
        </p>
      )}
      {state && 'error' in state && <ErrorMessage message={state.error} />}
      {state && 'rows' in state && state.rows.length === 0 && (
        <p className="hint">No connections yet. Add one to tell Strongroom how to reach PostgreSQL as an administrator.</p>
      )}
      {state && 'rows' in state && state.rows.length > 0 && (
        <table className="db-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Connection URL</th>
              <th scope="col">Username</th>
              <th scope="col">Allowed roles</th>
            </tr>
          </thead>
          <tbody>
            {state.rows.map(({ name, read, error }) => (
              <tr key={name}>
                <th scope="row">
                  <a href={hrefOf('database', 'connections', mount, name)}>{name}</a>
                </th>
                {read ? (
                  <>
                    <td className="mono">{maskUrl(read.connection_details.connection_url)}</td>
                    <td className="mono">{read.connection_details.username || '—'}</td>
                    <td>{read.allowed_roles.length > 0 ? read.allowed_roles.join(', ') : 'none (no role may use it)'}</td>
                  </>
                ) : (
                  <td colSpan={3} className="hint">
                    {error ?? 'Not found.'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
