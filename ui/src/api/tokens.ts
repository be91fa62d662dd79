import type { VaultClient } from './client'

/** The `auth` block of `auth/token/create`: the only time the token itself is returned. */
export interface TokenAuth {
  client_token: string
  accessor: string
  policies: string[]
  token_policies: string[]
  /** Seconds; 0 for a root token that never expires. */
  lease_duration: number
  renewable: boolean
  orphan: boolean
  num_uses: number
}

/** `auth/token/lookup-self` (inside `data`). */
export interface TokenLookup {
  accessor: string
  display_name: string
  policies: string[]
  /** Seconds left; 0 when the token never expires. */
  ttl: number
  /** RFC 3339, or null when the token never expires. */
  expire_time: string | null
  creation_time: number
  explicit_max_ttl: number
  num_uses: number
  orphan: boolean
  renewable: boolean
  path: string
}

/** The body of `auth/token/create`; fields left out take the server's defaults. */
export interface CreateTokenBody {
  policies?: string[]
  ttl?: string
  explicit_max_ttl?: string
  display_name?: string
  num_uses?: number
  renewable: boolean
  /** Needs `sudo` on `auth/token/create` (or a root token). */
  no_parent?: boolean
}

export async function createToken(client: VaultClient, body: CreateTokenBody): Promise<TokenAuth> {
  const reply = await client.request<{ auth: TokenAuth }>('POST', 'auth/token/create', body)
  return reply.auth
}

export async function lookupSelf(client: VaultClient): Promise<TokenLookup> {
  return (await client.request<{ data: TokenLookup }>('GET', 'auth/token/lookup-self')).data
}

/** `auth/token/lookup-accessor`: what a token is, without the token. */
export async function lookupAccessor(client: VaultClient, accessor: string): Promise<TokenLookup> {
  return (await client.request<{ data: TokenLookup }>('POST', 'auth/token/lookup-accessor', { accessor })).data
}

/** Revokes the token and every token created from it. */
export async function revokeAccessor(client: VaultClient, accessor: string): Promise<void> {
  await client.request<unknown>('POST', 'auth/token/revoke-accessor', { accessor })
}
