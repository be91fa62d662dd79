/**
 * The lease API: Vault's renew/revoke endpoints and Strongroom's dashboard extensions
 * (`sys/leases/counts`, `search`, `timeline`), which answer from the core's in-memory index so
 * that the dashboard never has to fetch all leases.
 */
import { announceLeasesEnded, underPrefix } from '../lib/leaseEvents'
import type { VaultClient } from './client'

/** `GET sys/leases/counts`: mount paths end in `/` (`database/`). */
export interface LeaseCounts {
  total: number
  irrevocable: number
  /** True while leases are still being loaded from storage after an unseal. */
  restoring: boolean
  mounts: Record<string, { total: number; roles: Record<string, number> }>
}

/** One lease as `sys/leases/search` lists it. */
export interface ListedLease {
  lease_id: string
  mount: string
  role: string
  /** RFC 3339. */
  expire_time: string
  /** Seconds left when the server answered (never below 0). */
  ttl: number
  irrevocable: boolean
  /** Why revocation gave up, for irrevocable leases. */
  revoke_error: string | null
}

/** One page of a search; `next` is the `after` of the following page, null on the last. */
export interface SearchPage {
  leases: ListedLease[]
  total: number
  next: string | null
}

/** `GET sys/leases/timeline`: revocable leases expiring in each slice of the window. */
export interface Timeline {
  start_time: string
  bucket_seconds: number
  counts: number[]
  /** Past their expiry, waiting for the timer. */
  overdue: number
  /** Expiring after the window. */
  later: number
}

/**
 * `PUT sys/leases/renew` (Vault puts the lease at the top level, not in `data`); `warnings`
 * says when the max TTL capped it.
 */
export interface RenewReply {
  lease_id: string
  lease_duration: number
  renewable: boolean
  warnings: string[] | null
}

/** What the list is filtered by; empty strings and false mean "not filtered". */
export interface LeaseFilter {
  mount: string
  role: string
  prefix: string
  /** A duration the server parses (`1h`, `9000s`), or '' for any time. */
  expiringWithin: string
  irrevocable: boolean
}

export const NO_FILTER: LeaseFilter = { mount: '', role: '', prefix: '', expiringWithin: '', irrevocable: false }

/**
 * The query fields of a search, only those that are set, in a fixed order: the same fields
 * make the request and its CLI/curl equivalent, so what is shown is what was sent.
 */
export function searchFields(filter: LeaseFilter, limit: number, after?: string): Record<string, string> {
  const fields: Record<string, string> = {}
  if (filter.mount) fields.mount = filter.mount
  if (filter.role) fields.role = filter.role
  if (filter.prefix) fields.prefix = filter.prefix
  if (filter.expiringWithin) fields.expiring_within = filter.expiringWithin
  if (filter.irrevocable) fields.irrevocable = 'true'
  fields.limit = String(limit)
  if (after) fields.after = after
  return fields
}

/** `path?k=v&…`, or `path` without fields. */
export function withQuery(path: string, fields: Record<string, string>): string {
  const query = new URLSearchParams(fields).toString()
  return query === '' ? path : `${path}?${query}`
}

/** A lease id or prefix as a URL path: each segment encoded, the slashes kept. */
export function leasePath(prefix: string): string {
  return prefix.split('/').map(encodeURIComponent).join('/')
}

async function data<T>(client: VaultClient, path: string): Promise<T> {
  return (await client.request<{ data: T }>('GET', path)).data
}

export function leaseCounts(client: VaultClient): Promise<LeaseCounts> {
  return data<LeaseCounts>(client, 'sys/leases/counts')
}

export function searchLeases(client: VaultClient, filter: LeaseFilter, limit: number, after?: string): Promise<SearchPage> {
  return data<SearchPage>(client, withQuery('sys/leases/search', searchFields(filter, limit, after)))
}

export function leaseTimeline(client: VaultClient, window: string, buckets: number): Promise<Timeline> {
  return data<Timeline>(client, withQuery('sys/leases/timeline', { window, buckets: String(buckets) }))
}

/** `increment` is a duration (`4h`) or seconds; the new TTL counts from now, up to the max TTL. */
export function renewLease(client: VaultClient, leaseId: string, increment: string | number): Promise<RenewReply> {
  return client.request<RenewReply>('PUT', 'sys/leases/renew', { lease_id: leaseId, increment })
}

/** Resolves once the engine has revoked it (Vault's default `sync`): a database user is dropped. */
export async function revokeLease(client: VaultClient, leaseId: string): Promise<void> {
  await client.request<unknown>('PUT', 'sys/leases/revoke', { lease_id: leaseId })
  announceLeasesEnded((id) => id === leaseId)
}

/** Every lease under the folder `prefix` (or the one lease it names); needs sudo. */
export async function revokePrefix(client: VaultClient, prefix: string): Promise<void> {
  await client.request<unknown>('PUT', `sys/leases/revoke-prefix/${leasePath(prefix)}`)
  announceLeasesEnded(underPrefix(prefix))
}

/** Drops the leases from Strongroom, ignoring the engine's errors; needs sudo. */
export async function forceRevoke(client: VaultClient, prefix: string): Promise<void> {
  await client.request<unknown>('PUT', `sys/leases/revoke-force/${leasePath(prefix)}`)
  announceLeasesEnded(underPrefix(prefix))
}
