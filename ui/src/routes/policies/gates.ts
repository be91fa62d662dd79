import { deniedReason, type CapabilityMap } from '../../app/capabilities'
import { policyPath } from '../../api/policies'

/** A new policy has no name yet, so its capabilities are asked for a sample one. */
export const NEW_SAMPLE_PATH = policyPath('x')

/** Why the token may not create policies, naming the path as a pattern rather than the sample. */
export function newPolicyDenied(caps: CapabilityMap | undefined): string | undefined {
  return deniedReason(caps, NEW_SAMPLE_PATH, 'create')?.replace(NEW_SAMPLE_PATH, 'sys/policies/acl/<name>')
}
