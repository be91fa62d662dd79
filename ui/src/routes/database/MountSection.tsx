import { useCallback } from 'react'
import { isDenied } from '../../api/client'
import {
  listConnections,
  listRoles,
  liveCredentials,
  readConnection,
  readRole,
  type ConnectionRead,
  type DatabaseMount,
  type RoleRead,
} from '../../api/database'
import { deniedReason, useCapabilities, type CapabilityMap } from '../../app/capabilities'
import { useServices } from '../../app/services'
import { messageOf } from '../../lib/format'
import { useLoad } from '../../lib/useLoad'
import { ConnectionsList } from './ConnectionsList'
import { RolesList } from './RolesList'

/** One listed item and what reading it gave (a token may list without reading). */
export interface Row<T> {
  name: string
  read?: T
  error?: string
}

/** What a list shows: its rows, or why there are none to show. */
export type ListState<T> = { rows: Row<T>[] } | { denied: string } | { error: string } | undefined

/** The names at a list path, each read for its key facts. */
async function loadRows<T>(
  names: () => Promise<string[]>,
  read: (name: string) => Promise<T | undefined>,
): Promise<Row<T>[]> {
  const list = await names()
  return Promise.all(
    list.map((name) =>
      read(name).then(
        (value): Row<T> => (value ? { name, read: value } : { name }),
        (e: unknown): Row<T> => ({ name, error: isDenied(e) ? 'details not readable with this token' : messageOf(e) }),
      ),
    ),
  )
}

/**
 * The state of a list at `path`: the token's capabilities and the server's 403 both say
 * "denied", rather than showing an empty list.
 */
function listState<T>(loaded: { value?: Row<T>[]; error: unknown }, caps: CapabilityMap | undefined, path: string): ListState<T> {
  const denied = deniedReason(caps, path, 'list')
  if (denied) return { denied }
  if (loaded.error !== undefined) {
    if (!isDenied(loaded.error)) return { error: messageOf(loaded.error) }
    return { denied: `The server answered “${messageOf(loaded.error)}”: a policy must grant "list" on ${path}.` }
  }
  return loaded.value ? { rows: loaded.value } : undefined
}

/** One database mount: its connections and its roles. */
export function MountSection({ mount }: { mount: DatabaseMount }) {
  const { client } = useServices()
  const m = mount.path
  const { caps } = useCapabilities([`${m}/config/`, `${m}/roles/`])
  const connections = useLoad(
    useCallback(
      () => loadRows<ConnectionRead>(() => listConnections(client, m), (n) => readConnection(client, m, n)),
      [client, m],
    ),
  )
  const roles = useLoad(
    useCallback(() => loadRows<RoleRead>(() => listRoles(client, m), (n) => readRole(client, m, n)), [client, m]),
  )
  const counts = useLoad(useCallback(() => liveCredentials(client, m), [client, m]))
  const headingId = `db-mount-${m.replace(/[^A-Za-z0-9_-]/g, '_')}`

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Mount <span className="mono">{m}/</span>
      </h2>
      <ConnectionsList mount={m} state={listState(connections, caps, `${m}/config/`)} />
      <RolesList
        mount={m}
        state={listState(roles, caps, `${m}/roles/`)}
        counts={counts.value}
      />
    </section>
  )
}
