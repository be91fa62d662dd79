/** The wizard's steps, in order, as the step indicator names them. */
export const STEPS = [
  { id: 'storage', label: 'Storage' },
  { id: 'seal', label: 'Seal' },
  { id: 'review', label: 'Review' },
  { id: 'keys', label: 'Keys' },
] as const

export type Step = (typeof STEPS)[number]['id']

/** Where a step stands relative to the current one. */
export function stepState(step: Step, current: Step): 'done' | 'current' | 'upcoming' {
  const index = STEPS.findIndex((s) => s.id === step)
  const at = STEPS.findIndex((s) => s.id === current)
  if (index < at) return 'done'
  return index === at ? 'current' : 'upcoming'
}

/**
 * The step and field an error from `sys/setup/config` is about: its `field` is prefixed with
 * the part of the body (`storage.region`, `seal.kms_key_id`).
 */
export function locateConfigField(
  field: string | undefined,
): { step: 'storage' | 'seal'; field: string } | undefined {
  const match = /^(storage|seal)\.(.+)$/.exec(field ?? '')
  if (!match?.[1] || !match[2]) return undefined
  return { step: match[1] as 'storage' | 'seal', field: match[2] }
}
