import { deniedReason, type CapabilityMap } from '../../app/capabilities'

/**
 * The paths whose capabilities decide what the dashboard offers. The sudo paths are
 * representative: policies grant them per prefix, and the server still decides per request.
 */
export const LEASE_PATHS = {
  search: 'sys/leases/search',
  counts: 'sys/leases/counts',
  timeline: 'sys/leases/timeline',
  renew: 'sys/leases/renew',
  revoke: 'sys/leases/revoke',
  revokePrefix: 'sys/leases/revoke-prefix/database/',
  revokeForce: 'sys/leases/revoke-force/database/',
} as const

export const LEASE_PATH_LIST = Object.values(LEASE_PATHS)

/** Why each dashboard action is off for the current token (undefined: allowed or not known). */
export interface Gates {
  search?: string | undefined
  counts?: string | undefined
  timeline?: string | undefined
  renew?: string | undefined
  revoke?: string | undefined
  revokePrefix?: string | undefined
  revokeForce?: string | undefined
}

export function gatesOf(caps: CapabilityMap | undefined): Gates {
  return {
    search: deniedReason(caps, LEASE_PATHS.search, 'read'),
    counts: deniedReason(caps, LEASE_PATHS.counts, 'read'),
    timeline: deniedReason(caps, LEASE_PATHS.timeline, 'read'),
    renew: deniedReason(caps, LEASE_PATHS.renew, 'update'),
    revoke: deniedReason(caps, LEASE_PATHS.revoke, 'update'),
    // Root-protected paths: the core wants `update` and `sudo` both.
    revokePrefix: deniedReason(caps, LEASE_PATHS.revokePrefix, 'update') ?? deniedReason(caps, LEASE_PATHS.revokePrefix, 'sudo'),
    revokeForce: deniedReason(caps, LEASE_PATHS.revokeForce, 'update') ?? deniedReason(caps, LEASE_PATHS.revokeForce, 'sudo'),
  }
}
