import type { ConnectionRead } from '../../api/database'
import { hrefOf } from '../../app/router'
import { maskUrl } from './connectionUrl'
import { ListSection } from './ListSection'
import type { ListState } from './MountSection'

/** The connections of one mount with their key facts, linking to their editor. */
export function ConnectionsList({ mount, state }: { mount: string; state: ListState<ConnectionRead> }) {
  return (
    <ListSection
      title="Connections"
      addLabel="Add connection"
      addHref={hrefOf('database', 'connections', mount)}
      state={state}
      loadingText="Loading connections…"
      deniedText={`The connections of ${mount}/ cannot be listed.`}
      emptyText="No connections yet. Add one to tell Strongroom how to reach PostgreSQL as an administrator."
    >
      {(rows) => (
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
            {rows.map(({ name, read, error }) => (
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
    </ListSection>
  )
}
