/**
 * "These leases are gone": told by whatever revokes leases (the dashboard, a prefix, a force
 * revoke), heard by whatever holds their secrets (the checked-out credentials), so a password
 * is not shown as live after its user was dropped from another page.
 */

/** Whether a lease id is among those that ended. */
export type LeaseMatcher = (leaseId: string) => boolean

const listeners = new Set<(ended: LeaseMatcher) => void>()

/** Calls `listener` for every later announcement; returns the unsubscribe. */
export function onLeasesEnded(listener: (ended: LeaseMatcher) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function announceLeasesEnded(ended: LeaseMatcher): void {
  for (const listener of listeners) listener(ended)
}

/** The leases under the folder `prefix` (a trailing `/` is implied), or the one it names. */
export function underPrefix(prefix: string): LeaseMatcher {
  const folder = prefix.endsWith('/') ? prefix : `${prefix}/`
  return (leaseId) => leaseId === prefix || leaseId.startsWith(folder)
}
