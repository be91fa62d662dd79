import { isDenied, type VaultClient } from '../../api/client'
import {
  listDatabaseMounts,
  listRoles,
  readResultantAcl,
  rolesFromAcl,
  type DatabaseMount,
  type RoleRef,
} from '../../api/credentials'
import { fetchCapabilities, grants, type Capability } from '../../app/capabilities'
import { messageOf } from '../../lib/format'

/** The database mounts and the roles the token can be offered, with notes on what it could not list. */
export interface Discovery {
  mounts: DatabaseMount[]
  roles: RoleRef[]
  notes: string[]
}

/** Each role once, ordered by mount and name. */
export function uniqueRoles(roles: RoleRef[]): RoleRef[] {
  const seen = new Map<string, RoleRef>()
  for (const role of roles) seen.set(`${role.mount}\n${role.name}`, role)
  return [...seen.values()].sort((a, b) => a.mount.localeCompare(b.mount) || a.name.localeCompare(b.name))
}

/**
 * Which of `paths` the token may use for `needed`, asked before trying, so that a narrow
 * token's visit makes no requests that are sure to be refused (each one an audit-log entry).
 * When the question itself fails, every path is tried and the server decides.
 */
export async function allowedPaths(client: VaultClient, paths: string[], needed: Capability): Promise<Set<string>> {
  try {
    const caps = await fetchCapabilities(client, paths)
    return new Set(paths.filter((path) => grants(caps[path], needed)))
  } catch {
    return new Set(paths)
  }
}

/**
 * The roles of every database mount the token may list, plus the creds paths its policies
 * name: a token with only `path "database/creds/readonly" { capabilities = ["read"] }` may not
 * list roles, but its resultant ACL still names that one.
 */
export async function discoverRoles(client: VaultClient): Promise<Discovery> {
  const mounts = await listDatabaseMounts(client)
  // A LIST is checked on `roles/`, and Vault also lets a rule on `roles` grant it.
  const listable = await allowedPaths(
    client,
    mounts.flatMap((m) => [`${m.path}roles`, `${m.path}roles/`]),
    'list',
  )
  const [listings, acl] = await Promise.all([
    Promise.all(
      mounts.map((mount) =>
        listable.has(`${mount.path}roles`) || listable.has(`${mount.path}roles/`)
          ? listRoles(client, mount.path).then(
              (names) => ({ roles: names.map((name) => ({ mount: mount.path, name })), note: undefined }),
              (e: unknown) => ({ roles: [], note: listNote(mount.path, e) }),
            )
          : { roles: [], note: listNote(mount.path, undefined) },
      ),
    ),
    // Older servers lack the endpoint: then only listed and typed-in roles are offered.
    readResultantAcl(client).catch(() => undefined),
  ])
  const fromAcl = acl && !acl.root ? rolesFromAcl(acl, mounts) : []
  return {
    mounts,
    roles: uniqueRoles([...listings.flatMap((l) => l.roles), ...fromAcl]),
    notes: listings.flatMap((l) => (l.note ? [l.note] : [])),
  }
}

/** Why a mount's roles are not listed: `error` undefined means the policies do not allow it. */
function listNote(mount: string, error: unknown): string {
  if (error === undefined || isDenied(error)) {
    return `Your token may not list the roles of ${mount}: the roles offered are the ones its policies name; type another under “Role not listed?”.`
  }
  return `The roles of ${mount} could not be listed: ${messageOf(error)}`
}
