/** The CLI/HTTP equivalents of the dashboard's requests, built from the same fields they send. */
import { leasePath, searchFields, type LeaseFilter } from '../../api/leases'
import { shellQuote, type ApiCall } from '../../lib/equivalent'

export function searchCall(filter: LeaseFilter, limit: number, after?: string): ApiCall {
  return { method: 'GET', path: 'sys/leases/search', body: searchFields(filter, limit, after) }
}

export function timelineCall(window: string, buckets: number): ApiCall {
  return { method: 'GET', path: 'sys/leases/timeline', body: { window, buckets: String(buckets) } }
}

export function renewCall(leaseId: string, increment: string): ApiCall {
  return {
    method: 'PUT',
    path: 'sys/leases/renew',
    body: { lease_id: leaseId, increment },
    cli: `bao lease renew -increment=${shellQuote(increment)} ${shellQuote(leaseId)}`,
  }
}

export function revokeCall(leaseId: string): ApiCall {
  return { method: 'PUT', path: 'sys/leases/revoke', body: { lease_id: leaseId }, cli: `bao lease revoke ${shellQuote(leaseId)}` }
}

/**
 * One revocation per lease in a shell loop. The HTTP form is the loop's body: `lease_id` is
 * spliced in from `$id` the way secrets are, so it runs as-is inside the same loop.
 */
export function bulkCall(leaseIds: readonly string[], force: boolean): ApiCall {
  const list = leaseIds.map(shellQuote).join(' ')
  if (force) {
    return {
      method: 'PUT',
      path: 'sys/leases/revoke-force/$id',
      shellVariables: ['id'],
      cli: `for id in ${list}; do bao lease revoke -force -prefix "$id"; done`,
    }
  }
  return {
    method: 'PUT',
    path: 'sys/leases/revoke',
    body: { lease_id: 'each id' },
    secrets: { lease_id: 'id' },
    cli: `for id in ${list}; do bao lease revoke "$id"; done`,
  }
}

export function revokePrefixCall(prefix: string): ApiCall {
  return { method: 'PUT', path: `sys/leases/revoke-prefix/${leasePath(prefix)}`, cli: `bao lease revoke -prefix ${shellQuote(prefix)}` }
}

export function forceRevokeCall(prefix: string): ApiCall {
  return {
    method: 'PUT',
    path: `sys/leases/revoke-force/${leasePath(prefix)}`,
    cli: `bao lease revoke -force -prefix ${shellQuote(prefix)}`,
  }
}
