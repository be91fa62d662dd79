import { vaultDuration } from '../lib/duration'
import { shellQuote, type ApiCall } from '../lib/equivalent'
import type { VaultClient } from './client'
import { listDatabaseMounts as databaseMounts } from './database'
import { listKeys } from './list'

/**
 * The API calls of the checkout page: finding database roles (even for a token that may only
 * read one creds path), reading a role's limits and host, and the credential. Its lease is
 * renewed and revoked with the lease API (`./leases`).
 */

/** A database secrets engine, with its mount's lease TTLs in seconds (0: the server's). */
export interface DatabaseMount {
  /** With the trailing slash: `database/`. */
  path: string
  defaultLeaseTtl: number
  maxLeaseTtl: number
}

/** A role whose credentials may be checked out. */
export interface RoleRef {
  mount: string
  name: string
}

/** The path a credential is read from. */
export function credsPath(role: RoleRef): string {
  return `${role.mount}creds/${role.name}`
}

/** The database mounts (`sys/internal/ui/mounts` needs no capability), paths ending in `/`. */
export async function listDatabaseMounts(client: VaultClient): Promise<DatabaseMount[]> {
  return (await databaseMounts(client)).map((mount) => ({ ...mount, path: `${mount.path}/` }))
}

/** The mount's role names (none for an empty mount). */
export function listRoles(client: VaultClient, mount: string): Promise<string[]> {
  return listKeys(client, `${mount}roles`)
}

/** The calling token's merged policy rules, as `sys/internal/ui/resultant-acl` gives them. */
export interface ResultantAcl {
  root: boolean
  exact_paths: Record<string, { capabilities: string[] }>
  glob_paths: Record<string, { capabilities: string[] }>
}

export async function readResultantAcl(client: VaultClient): Promise<ResultantAcl> {
  return (await client.request<{ data: ResultantAcl }>('GET', 'sys/internal/ui/resultant-acl')).data
}

/**
 * The roles a token's policies name one by one (`path "database/creds/readonly"` with `read`),
 * so a token that may not list roles still finds the ones it may use. Globs are left out:
 * they name no role, and a role under one can be typed in by hand.
 */
export function rolesFromAcl(acl: ResultantAcl, mounts: DatabaseMount[]): RoleRef[] {
  const roles: RoleRef[] = []
  for (const [path, rule] of Object.entries(acl.exact_paths)) {
    const caps = rule.capabilities
    if (caps.includes('deny') || !caps.includes('read')) continue
    for (const mount of mounts) {
      const name = path.startsWith(`${mount.path}creds/`) ? path.slice(mount.path.length + 'creds/'.length) : ''
      if (isRoleName(name)) roles.push({ mount: mount.path, name })
    }
  }
  return roles
}

/** Vault's role-name pattern: word characters, `-` and `.`, not starting or ending with those two. */
export function isRoleName(name: string): boolean {
  return /^\w([\w.-]*\w)?$/.test(name)
}

/** What the checkout page reads of a role: its connection and TTL limits. */
export interface RoleInfo {
  db_name: string
  /** Seconds; 0 means the mount's (or the server's) default. */
  default_ttl: number
  max_ttl: number
}

export async function readRole(client: VaultClient, role: RoleRef): Promise<RoleInfo> {
  return (await client.request<{ data: RoleInfo }>('GET', `${role.mount}roles/${role.name}`)).data
}

/** The connection URL of a config (a template with `{{username}}`, or a `key=value` DSN). */
export async function readConnectionUrl(client: VaultClient, mount: string, dbName: string): Promise<string> {
  const reply = await client.request<{ data: { connection_details?: { connection_url?: string } } }>(
    'GET',
    `${mount}config/${dbName}`,
  )
  return reply.data.connection_details?.connection_url ?? ''
}

/** A new PostgreSQL user under a lease: Vault's envelope of `GET <mount>/creds/<role>`. */
export interface CredsReply {
  lease_id: string
  lease_duration: number
  renewable: boolean
  data: { username: string; password: string }
}

export async function readCreds(client: VaultClient, role: RoleRef): Promise<CredsReply> {
  return client.request<CredsReply>('GET', credsPath(role))
}

/** What "Check out" sends first. */
export function credsCall(role: RoleRef): ApiCall {
  return { method: 'GET', path: credsPath(role) }
}

/**
 * A renewal. `leaseId` is undefined before checkout: the command then takes it from
 * `$LEASE_ID`, which the user sets to the `lease_id` the read printed.
 */
export function renewCall(leaseId: string | undefined, increment: number): ApiCall {
  const id = leaseId === undefined ? '"$LEASE_ID"' : shellQuote(leaseId)
  return {
    method: 'PUT',
    path: 'sys/leases/renew',
    body: { lease_id: leaseId ?? '', increment },
    ...(leaseId === undefined ? { secrets: { lease_id: 'LEASE_ID' } } : {}),
    cli: `bao lease renew -increment=${vaultDuration(increment)} ${id}`,
  }
}
