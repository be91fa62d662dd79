import type { ApiReply, SealStatus, Transport } from './types'

/** An error answer from the API, with Vault's `errors` list. */
export class VaultError extends Error {
  readonly status: number
  readonly errors: string[]

  constructor(status: number, errors: string[]) {
    super(errors.length > 0 ? errors.join('; ') : `HTTP ${status}`)
    this.name = 'VaultError'
    this.status = status
    this.errors = errors
  }
}

/** Vault puts error messages in `{"errors": [...]}`; anything else is reported as-is. */
export function errorsOf(body: unknown): string[] {
  if (body !== null && typeof body === 'object' && 'errors' in body) {
    const errors = (body as { errors: unknown }).errors
    if (Array.isArray(errors)) return errors.map(String)
  }
  return []
}

/** A typed client of the core's Vault-compatible API, over any transport. */
export class VaultClient {
  private readonly transport: Transport
  token?: string

  constructor(transport: Transport, token?: string) {
    this.transport = transport
    this.token = token
  }

  /** Sends a request; 2xx answers resolve to the body, others reject with a VaultError. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const reply: ApiReply = await this.transport({ method, path, token: this.token, body })
    if (reply.status >= 200 && reply.status < 300) return reply.body as T
    throw new VaultError(reply.status, errorsOf(reply.body))
  }

  sealStatus(): Promise<SealStatus> {
    return this.request<SealStatus>('GET', 'sys/seal-status')
  }
}
