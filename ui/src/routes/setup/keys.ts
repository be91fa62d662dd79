import type { InitReply } from '../../api/types'

/** The name the saved key file is offered under. */
export const KEYS_FILE_NAME = 'strongroom-unseal-keys.txt'

/**
 * The shares to show: base64, as `vault operator init` prints them and as `sys/unseal`
 * takes them; recovery shares with an auto-unseal seal.
 */
export function sharesOf(reply: InitReply): string[] {
  const recovery = reply.recovery_keys_base64 ?? []
  return recovery.length > 0 ? recovery : reply.keys_base64
}

/** What the saved file says: plain text a person can read years later. */
export function keysFileText(options: {
  shares: readonly string[]
  threshold: number
  recovery: boolean
  created: Date
  rootToken?: string
}): string {
  const { shares, threshold, recovery, created, rootToken } = options
  const kind = recovery ? 'recovery key' : 'unseal key'
  const purpose = recovery
    ? 'AWS KMS unseals Strongroom; these recovery keys are needed for operations such as generating a new root token, or to unseal when KMS is not reachable.'
    : 'Strongroom starts sealed; entering enough of these keys unseals it.'
  const lines = [
    `Strongroom ${kind}s`,
    `Created: ${created.toISOString()}`,
    '',
    `Any ${threshold} of these ${shares.length} ${kind}s are needed. ${purpose}`,
    'Keep them apart, with different people or in different safe places. Anyone holding enough of them can read every secret.',
    '',
    ...shares.map((share, i) => `${capitalize(kind)} ${i + 1}: ${share}`),
  ]
  if (rootToken !== undefined) lines.push('', `Initial root token: ${rootToken}`)
  return `${lines.join('\n')}\n`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A share number from 1 to `count` for the "re-enter share N" check, chosen at random. */
export function pickShareToCheck(count: number, random: () => number = cryptoRandom): number {
  return Math.min(count, Math.floor(random() * count) + 1)
}

/** A uniform number in [0, 1) from the platform's CSPRNG. */
function cryptoRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32
}

/** Whether the re-entered share is the one shown (surrounding whitespace from pasting is fine). */
export function shareMatches(entered: string, share: string): boolean {
  return entered.trim() === share.trim() && share.trim() !== ''
}
