import { isDenied, type VaultClient } from '../../api/client'
import { readConnectionUrl, readCreds, readRole, type DatabaseMount, type RoleRef } from '../../api/credentials'
import { renewLease } from '../../api/leases'
import { messageOf } from '../../lib/format'
import { allowedPaths } from './roles'
import type { NewCheckout } from './store'
import { ttlLimits, type TtlLimits } from './ttl'
import { connectionUri } from './uri'

/** What the page knows of a role before checkout; a narrow token may read none of it. */
export interface RoleDetails {
  /** Undefined when the role may not be read: then only the default TTL is offered. */
  limits?: TtlLimits
  connectionUrl?: string
  /** Why no connection URI can be built, when none can. */
  noUri?: string
}

/** Why `path` gave nothing: `error` undefined means the policies do not allow reading it. */
function unreadable(path: string, error: unknown): string {
  const why =
    error === undefined || isDenied(error)
      ? `Your token may not read ${path}`
      : `${path} could not be read (${messageOf(error)})`
  return `${why}, so the database host is not known here: connect with the username and password.`
}

/** Reads the role (TTL limits, config name) and its config (connection URL), as far as allowed. */
export async function loadRoleDetails(client: VaultClient, role: RoleRef, mount: DatabaseMount | undefined): Promise<RoleDetails> {
  const rolePath = `${role.mount}roles/${role.name}`
  if (!(await allowedPaths(client, [rolePath], 'read')).has(rolePath)) return { noUri: unreadable(rolePath, undefined) }
  let info
  try {
    info = await readRole(client, role)
  } catch (e) {
    return { noUri: unreadable(rolePath, e) }
  }
  const limits = ttlLimits(info, mount)
  const configPath = `${role.mount}config/${info.db_name}`
  if (!(await allowedPaths(client, [configPath], 'read')).has(configPath)) return { limits, noUri: unreadable(configPath, undefined) }
  try {
    const connectionUrl = await readConnectionUrl(client, role.mount, info.db_name)
    if (connectionUrl === '') return { limits, noUri: `${configPath} has no connection URL.` }
    return { limits, connectionUrl }
  } catch (e) {
    return { limits, noUri: unreadable(configPath, e) }
  }
}

export interface CheckoutOutcome {
  checkout: NewCheckout
  /** The credential was issued, but setting its TTL failed: it keeps the default TTL. */
  renewError?: string
}

/**
 * Checkout: read a new credential, then, when a TTL other than the default was asked for,
 * renew its lease with that increment at once (Vault's creds read takes no TTL).
 */
export async function checkOut(
  client: VaultClient,
  role: RoleRef,
  renewTo: number | undefined,
  details: Promise<RoleDetails>,
): Promise<CheckoutOutcome> {
  const [creds, known] = await Promise.all([readCreds(client, role), details])
  const { username, password } = creds.data
  let duration = creds.lease_duration
  let renewable = creds.renewable
  let warning: string | undefined
  let renewError: string | undefined
  if (renewTo !== undefined) {
    try {
      const renewed = await renewLease(client, creds.lease_id, renewTo)
      duration = renewed.lease_duration
      renewable = renewed.renewable
      warning = renewed.warnings?.join(' ') || undefined
    } catch (e) {
      renewError = `Setting the TTL failed, so the credential keeps the default TTL: ${messageOf(e)}`
    }
  }
  const uri = known.connectionUrl ? connectionUri(known.connectionUrl, username, password) : undefined
  const noUri = uri ? undefined : (known.noUri ?? 'The connection URL could not be read as a URL or a key=value string.')
  const checkout: NewCheckout = {
    role,
    leaseId: creds.lease_id,
    username,
    password,
    duration,
    renewable,
    ttl: renewTo ?? creds.lease_duration,
    ...(uri ? { uri } : {}),
    ...(noUri ? { noUri } : {}),
    ...(warning ? { warning } : {}),
  }
  return renewError ? { checkout, renewError } : { checkout }
}
