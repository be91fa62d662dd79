import { draftSeconds, vaultDuration, type DurationDraft } from '../../lib/duration'

/** Seconds for a TTL field (0 when blank: the mount's value), or an error to show at the field. */
export function ttlSeconds(draft: DurationDraft): { seconds: number } | { error: string } {
  const seconds = draftSeconds(draft)
  if (seconds === 'invalid') return { error: 'Enter a whole number (or leave it empty).' }
  return { seconds: seconds === 'blank' ? 0 : seconds }
}

/**
 * The maximum must not be under the default (the core refuses such a role). A maximum of 0
 * means the mount's own maximum, which this form cannot compare against.
 */
export function ttlOrderError(defaultSeconds: number, maxSeconds: number): string | undefined {
  if (maxSeconds === 0 || defaultSeconds <= maxSeconds) return undefined
  return `The maximum TTL (${vaultDuration(maxSeconds)}) must be at least the default TTL (${vaultDuration(defaultSeconds)}).`
}
