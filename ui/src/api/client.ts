import type {
  ApiReply,
  ConfigReply,
  InitReply,
  KmsPolicies,
  LeaderStatus,
  SealBody,
  SealStatus,
  SealTestReply,
  SetupIamReply,
  SetupStatus,
  StorageBody,
  StorageDescription,
  StorageTestReply,
  TableChange,
  TableFacts,
  TablePolicies,
  Transport,
} from './types'

/**
 * An error answer from the API, with Vault's `errors` list and, for setup requests, the body
 * key (`field`) the message is about, so that forms can show it at that field.
 */
export class VaultError extends Error {
  readonly status: number
  readonly errors: string[]
  readonly field?: string

  constructor(status: number, errors: string[], field?: string) {
    super(errors.length > 0 ? errors.join('; ') : `HTTP ${status}`)
    this.name = 'VaultError'
    this.status = status
    this.errors = errors
    if (field !== undefined) this.field = field
  }
}

/** Whether an error is the server refusing the token (as opposed to a missing path). */
export function isDenied(error: unknown): boolean {
  return error instanceof VaultError && error.status === 403
}

/** Vault puts error messages in `{"errors": [...]}`; anything else is reported as-is. */
export function errorsOf(body: unknown): string[] {
  if (body !== null && typeof body === 'object' && 'errors' in body) {
    const errors = (body as { errors: unknown }).errors
    if (Array.isArray(errors)) return errors.map(String)
  }
  return []
}

/** The `field` of a setup error answer, when it names one. */
export function fieldOf(body: unknown): string | undefined {
  if (body !== null && typeof body === 'object' && 'field' in body) {
    const field = (body as { field: unknown }).field
    if (typeof field === 'string' && field !== '') return field
  }
  return undefined
}

/** Logical endpoints answer inside Vault's envelope; the raw `sys/` ones do not. */
interface Envelope<T> {
  data: T
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
    throw new VaultError(reply.status, errorsOf(reply.body), fieldOf(reply.body))
  }

  private async data<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.request<Envelope<T>>(method, path, body)).data
  }

  sealStatus(): Promise<SealStatus> {
    return this.request<SealStatus>('GET', 'sys/seal-status')
  }

  setup(): Promise<SetupStatus> {
    return this.request<SetupStatus>('GET', 'sys/setup')
  }

  testStorage(storage: StorageBody): Promise<StorageTestReply> {
    return this.request<StorageTestReply>('POST', 'sys/setup/storage/test', storage)
  }

  createTable(storage: StorageBody): Promise<StorageTestReply> {
    return this.request<StorageTestReply>('POST', 'sys/setup/storage/create-table', storage)
  }

  testSeal(seal: SealBody): Promise<SealTestReply> {
    return this.request<SealTestReply>('POST', 'sys/setup/seal/test', seal)
  }

  /** With `dryRun`, only renders the HCL; without, writes it and starts the node on it. */
  saveConfig(storage: StorageBody, seal: SealBody, dryRun: boolean): Promise<ConfigReply> {
    return this.request<ConfigReply>('POST', 'sys/setup/config', { storage, seal, dry_run: dryRun })
  }

  setupIam(storage: StorageBody, seal: SealBody): Promise<SetupIamReply> {
    return this.request<SetupIamReply>('POST', 'sys/setup/iam', { storage, seal })
  }

  /** Shamir seals split the unseal key; auto-unseal seals split a recovery key instead. */
  init(sealType: string, shares: number, threshold: number): Promise<InitReply> {
    const body =
      sealType === 'shamir'
        ? { secret_shares: shares, secret_threshold: threshold }
        : { recovery_shares: shares, recovery_threshold: threshold }
    return this.request<InitReply>('PUT', 'sys/init', body)
  }

  unseal(key: string): Promise<SealStatus> {
    return this.request<SealStatus>('PUT', 'sys/unseal', { key })
  }

  resetUnseal(): Promise<SealStatus> {
    return this.request<SealStatus>('PUT', 'sys/unseal', { reset: true })
  }

  seal(): Promise<void> {
    return this.request<void>('PUT', 'sys/seal')
  }

  leader(): Promise<LeaderStatus> {
    return this.request<LeaderStatus>('GET', 'sys/leader')
  }

  /** Resolves when the current token is accepted. */
  async lookupSelf(): Promise<void> {
    await this.request<unknown>('GET', 'auth/token/lookup-self')
  }

  describeStorage(): Promise<StorageDescription> {
    return this.data<StorageDescription>('GET', 'sys/storage/dynamodb')
  }

  async updateStorage(change: TableChange): Promise<TableFacts> {
    return (await this.data<{ table: TableFacts }>('POST', 'sys/storage/dynamodb', change)).table
  }

  tablePolicies(): Promise<TablePolicies> {
    return this.data<TablePolicies>('GET', 'sys/storage/dynamodb/iam-policy')
  }

  async terraform(): Promise<string> {
    return (await this.data<{ terraform: string }>('GET', 'sys/storage/dynamodb/terraform')).terraform
  }

  /** The key policy comes back only when `keyUser` (an IAM principal ARN) is given. */
  kmsPolicies(keyUser: string): Promise<KmsPolicies> {
    const query = keyUser === '' ? '' : `?key_users=${encodeURIComponent(keyUser)}`
    return this.data<KmsPolicies>('GET', `sys/seal/awskms/policy${query}`)
  }
}
