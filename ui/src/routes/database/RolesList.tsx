import type { RoleRead } from '../../api/database'
import { hrefOf } from '../../app/router'
import { vaultDuration } from '../../lib/duration'
import { ListSection } from './ListSection'
import type { ListState } from './MountSection'

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
    <ListSection
      title="Roles"
      addLabel="Add role"
      addHref={hrefOf('database', 'roles', mount)}
      state={state}
      loadingText="Loading roles…"
      deniedText={`The roles of ${mount}/ cannot be listed.`}
      emptyText="No roles yet. A role says which statements create a user, and for how long it lives."
    >
      {(rows) => (
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
            {rows.map(({ name, read, error }) => (
              <tr key={name}>
                <th scope="row">
                  <a href={hrefOf('database', 'roles', mount, name)}>{name}</a>
                </th>
                {read ? (
                  <>
                    <td className="mono">{read.db_name}</td>
                    <td>{read.default_ttl ? vaultDuration(read.default_ttl) : 'mount default'}</td>
                    <td>{read.max_ttl ? vaultDuration(read.max_ttl) : 'mount maximum'}</td>
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
    </ListSection>
  )
}
