import { shellQuote, type ApiCall, type FieldValue } from '../lib/equivalent'
import { VaultError, type VaultClient } from './client'
import { listKeys } from './list'

/**
 * The database secrets engine's API (docs/database.md). Every action is built as an `ApiCall`
 * first and sent from it, so the "As a command" form shown beside a button is exactly the
 * request the button makes.
 */

/** The only plugin the core provides. */
export const POSTGRES_PLUGIN = 'postgresql-database-plugin'

/** The environment variable the command forms use for the root password. */
export const PASSWORD_VARIABLE = 'PG_PASSWORD'

export type Body = Record<string, FieldValue | undefined>

/** A mount of the database engine. `path` has no trailing slash (`database`). */
export interface DatabaseMount {
  path: string
  /** Seconds; 0 means the server's default. */
  defaultLeaseTtl: number
  maxLeaseTtl: number
}

/** `GET <mount>/config/<name>`: never carries the password. */
export interface ConnectionRead {
  plugin_name: string
  connection_details: {
    connection_url: string
    username: string
    max_open_connections: number
    max_idle_connections: number
    /** A Go duration such as `0s` or `1h0m0s`. */
    max_connection_lifetime: string
    username_template?: string
    disable_escaping?: boolean
  }
  allowed_roles: string[]
  root_credentials_rotate_statements: string[]
  password_policy: string
}

/** `GET <mount>/roles/<name>`: TTLs in seconds (0: the mount's). */
export interface RoleRead {
  db_name: string
  creation_statements: string[]
  revocation_statements: string[]
  rollback_statements: string[]
  renew_statements: string[]
  default_ttl: number
  max_ttl: number
  terminate_sessions?: boolean
}

/** The answer to a role write with `dry_run=true`: the trial's statements, password hidden. */
export interface DryRunResult {
  dry_run: boolean
  username: string
  creation_statements: string
  revocation_statements: string
}

interface Envelope<T> {
  data: T
  warnings?: string[] | null
}

/** Sends `call` as it is described. */
export function send<T>(client: VaultClient, call: ApiCall): Promise<T> {
  const body = call.method === 'DELETE' || call.method === 'GET' ? undefined : call.body
  return client.request<T>(call.method, call.path, body)
}

// --- The calls ---------------------------------------------------------------------------

export function enableMountCall(path: string): ApiCall {
  return {
    method: 'POST',
    path: `sys/mounts/${path}`,
    body: { type: 'database' },
    cli: `bao secrets enable ${shellQuote(`-path=${path}`)} database`,
  }
}

/** A literal password in a URL is a secret too, so the command forms take it from the environment. */
export function writeConnectionCall(mount: string, name: string, body: Body, urlHasPassword = false): ApiCall {
  const secrets: Record<string, string> = { password: PASSWORD_VARIABLE }
  if (urlHasPassword) secrets.connection_url = 'PG_CONNECTION_URL'
  return { method: 'POST', path: `${mount}/config/${name}`, body, secrets }
}

export function deleteConnectionCall(mount: string, name: string): ApiCall {
  return { method: 'DELETE', path: `${mount}/config/${name}` }
}

export function rotateRootCall(mount: string, name: string): ApiCall {
  return { method: 'POST', path: `${mount}/rotate-root/${name}` }
}

export function resetConnectionCall(mount: string, name: string): ApiCall {
  return { method: 'POST', path: `${mount}/reset/${name}` }
}

export function writeRoleCall(mount: string, name: string, body: Body, dryRun = false): ApiCall {
  return { method: 'POST', path: `${mount}/roles/${name}`, body: dryRun ? { ...body, dry_run: true } : body }
}

export function deleteRoleCall(mount: string, name: string): ApiCall {
  return { method: 'DELETE', path: `${mount}/roles/${name}` }
}

// --- Reads -------------------------------------------------------------------------------

/**
 * The database mounts, from `sys/internal/ui/mounts`, which any token may read (`sys/mounts`
 * needs a policy most tokens lack).
 */
export async function listDatabaseMounts(client: VaultClient): Promise<DatabaseMount[]> {
  type Mounts = { secret?: Record<string, { type?: string; config?: { default_lease_ttl?: number; max_lease_ttl?: number } }> }
  const reply = await client.request<Envelope<Mounts>>('GET', 'sys/internal/ui/mounts')
  return Object.entries(reply.data.secret ?? {})
    .filter(([, mount]) => mount.type === 'database')
    .map(([path, mount]) => ({
      path: path.replace(/\/+$/, ''),
      defaultLeaseTtl: mount.config?.default_lease_ttl ?? 0,
      maxLeaseTtl: mount.config?.max_lease_ttl ?? 0,
    }))
    .sort((a, b) => a.path.localeCompare(b.path))
}

export function listConnections(client: VaultClient, mount: string): Promise<string[]> {
  return listKeys(client, `${mount}/config`)
}

export function listRoles(client: VaultClient, mount: string): Promise<string[]> {
  return listKeys(client, `${mount}/roles`)
}

/** A read; undefined when there is nothing at the path. */
async function read<T>(client: VaultClient, path: string): Promise<T | undefined> {
  try {
    return (await client.request<Envelope<T>>('GET', path)).data
  } catch (e) {
    if (e instanceof VaultError && e.status === 404) return undefined
    throw e
  }
}

export function readConnection(client: VaultClient, mount: string, name: string): Promise<ConnectionRead | undefined> {
  return read<ConnectionRead>(client, `${mount}/config/${name}`)
}

export function readRole(client: VaultClient, mount: string, name: string): Promise<RoleRead | undefined> {
  return read<RoleRead>(client, `${mount}/roles/${name}`)
}

/**
 * Live credentials per role of `mount`, from `sys/leases/counts`; undefined when the token
 * may not read it (the lists are still useful without the numbers).
 */
export async function liveCredentials(client: VaultClient, mount: string): Promise<Record<string, number> | undefined> {
  try {
    const reply = await client.request<Envelope<{ mounts?: Record<string, { roles?: Record<string, number> }> }>>(
      'GET',
      'sys/leases/counts',
    )
    return reply.data.mounts?.[`${mount}/`]?.roles ?? {}
  } catch {
    return undefined
  }
}

// --- Writes ------------------------------------------------------------------------------

/** Writes a connection; resolves to the server's warnings (a password in the URL, say). */
export async function writeConnection(client: VaultClient, call: ApiCall): Promise<string[]> {
  const reply = await send<Envelope<unknown> | null>(client, call)
  return reply?.warnings ?? []
}

/** Sends a role write with `dry_run=true`; the trial's statements come back, nothing is saved. */
export async function testRole(client: VaultClient, call: ApiCall): Promise<DryRunResult> {
  return (await send<Envelope<DryRunResult>>(client, call)).data
}
