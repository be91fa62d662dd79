import type { SealStatus } from '../../api/types'

/** The part of the client this needs (a fake in tests). */
export interface Unsealer {
  resetUnseal(): Promise<SealStatus>
  unseal(key: string): Promise<SealStatus>
}

/**
 * Unseals with shares held by the app (kept in the keychain, or just created): starts a fresh
 * attempt so shares entered elsewhere cannot mix in, then enters shares until the node opens.
 * Resolves to the last status; a refused share rejects with the API's error.
 */
export async function unsealWith(client: Unsealer, shares: readonly string[]): Promise<SealStatus> {
  let status = await client.resetUnseal()
  for (const share of shares) {
    if (!status.sealed) break
    status = await client.unseal(share)
  }
  return status
}
