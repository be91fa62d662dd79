import { VaultError, type VaultClient } from './client'

/**
 * The keys under `path`, sorted: Vault's LIST, sent as `GET <path>?list=true` as Vault's own
 * UI does (the core reads it the same way, and no browser or proxy refuses a GET). Vault
 * answers an empty folder with 404, which is an empty list here; other errors go on.
 */
export async function listKeys(client: VaultClient, path: string): Promise<string[]> {
  try {
    const reply = await client.request<{ data: { keys?: string[] } }>('GET', `${path}?list=true`)
    return [...(reply.data.keys ?? [])].sort()
  } catch (e) {
    if (e instanceof VaultError && e.status === 404) return []
    throw e
  }
}
