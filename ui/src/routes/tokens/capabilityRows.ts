/** A path the app uses, asked about in `sys/capabilities-self`, and what the app does there. */
export interface CapabilityRow {
  path: string
  /** How the path is shown, when the one asked about is a sample (`sys/policies/acl/x`). */
  shown?: string
  use: string
}

/**
 * The paths behind the app's buttons. Lists are asked with the trailing `/` a LIST request
 * checks; named paths use the tutorial's connection (`postgresql`) and role (`readonly`).
 */
export const KEY_PATHS: readonly CapabilityRow[] = [
  { path: 'database/config/', use: 'List database connections' },
  { path: 'database/config/postgresql', use: 'Read, change or delete the connection postgresql' },
  { path: 'database/roles/', use: 'List database roles' },
  { path: 'database/roles/readonly', use: 'Read, change or delete the role readonly' },
  { path: 'database/creds/readonly', use: 'Get credentials from the role readonly (read)' },
  { path: 'sys/leases/counts', use: 'Lease counts on the dashboard (read)' },
  { path: 'sys/leases/search', use: 'Search leases (read)' },
  { path: 'sys/leases/lookup', use: 'Look up a lease (update)' },
  { path: 'sys/leases/renew', use: 'Renew a lease (update)' },
  { path: 'sys/leases/revoke', use: 'Revoke a lease (update)' },
  { path: 'sys/leases/revoke-prefix/database/creds/readonly', use: 'Revoke all leases of the role readonly (update and sudo)' },
  { path: 'sys/policies/acl/', use: 'List policies' },
  { path: 'sys/policies/acl/x', shown: 'sys/policies/acl/<name>', use: 'Write (create, update) and delete policies' },
  { path: 'auth/token/create', use: 'Create tokens (update; orphan tokens also need sudo)' },
  { path: 'auth/token/revoke-accessor', use: 'Revoke a token by its accessor (update)' },
]

/** Whether `caps` (one path's, once known) grants nothing at all. */
export function deniesAll(caps: string[] | undefined): boolean {
  return caps !== undefined && !caps.includes('root') && (caps.length === 0 || caps.includes('deny'))
}

/** One path's capabilities in words (`caps` is undefined while they are being checked). */
export function capabilityText(caps: string[] | undefined): string {
  if (caps === undefined) return 'Checking…'
  if (caps.includes('root')) return 'everything (root)'
  if (deniesAll(caps)) return 'nothing (deny)'
  return caps.join(', ')
}
