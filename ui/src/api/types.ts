/** `GET /v1/sys/seal-status`, as the core answers it (Vault's shape plus Strongroom's extensions). */
export interface SealStatus {
  type: string
  initialized: boolean
  sealed: boolean
  t: number
  n: number
  progress: number
  nonce: string
  version: string
  migration: boolean
  cluster_name?: string
  cluster_id?: string
  recovery_seal: boolean
  storage_type: string
  /** Why the last automatic (AWS KMS) unseal failed, while sealed. */
  auto_unseal_error?: string
  /** When the next automatic unseal attempt is due (RFC 3339). */
  auto_unseal_next_attempt?: string
}

/** A raw API answer: the HTTP status and the JSON body (null for 204). */
export interface ApiReply {
  status: number
  body: unknown
}

/** Carries one API call to the core: in-process over IPC, or over HTTP. */
export type Transport = (request: {
  method: string
  path: string
  token?: string
  body?: unknown
}) => Promise<ApiReply>

/** `GET sys/setup`: whether the node has a configuration yet, and where things go. */
export interface SetupStatus {
  configured: boolean
  /** Null when the host has not decided yet (the core reports none). */
  config_path: string | null
  /** Where local storage keeps its file by default. */
  local_path: string | null
  /** Whether the host keeps AWS keys outside the config file (the OS keychain, on desktop). */
  keychain: boolean
}

export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST'

/** What DynamoDB reports about a table. */
export interface TableFacts {
  name: string
  arn: string
  status: string
  billing_mode: BillingMode
  read_capacity: number
  write_capacity: number
  item_count: number
  size_bytes: number
}

/** AWS credentials in a setup body: absent means the SDK's credential chain. */
interface AccessKeys {
  access_key?: string
  secret_key?: string
}

/** A storage choice as `sys/setup/*` takes it; values are strings, as in the HCL file. */
export type StorageBody =
  | { type: 'local' }
  | ({
      type: 'dynamodb'
      region: string
      endpoint?: string
      table: string
      billing_mode: BillingMode
      read_capacity?: string
      write_capacity?: string
      ha_enabled: 'true' | 'false'
    } & AccessKeys)

/** A seal choice as `sys/setup/*` takes it. */
export type SealBody =
  | { type: 'shamir' }
  | ({ type: 'awskms'; kms_key_id: string; region: string; endpoint?: string } & AccessKeys)

/** `POST sys/setup/storage/test` and `.../create-table`. */
export interface StorageTestReply {
  ok: boolean
  message: string
  table_exists: boolean
  table: TableFacts | null
}

/** `POST sys/setup/seal/test`: `key` for AWS KMS (key shares have nothing to test). */
export interface SealTestReply {
  ok: boolean
  message: string
  key?: { arn: string; key_id: string; state: string }
}

/** `POST sys/setup/config`: the HCL that is (or would be) written, secrets redacted. */
export interface ConfigReply {
  config_path: string
  hcl: string
}

/** An IAM policy document, shown as JSON. */
export type PolicyDocument = Record<string, unknown>

/** `GET sys/storage/dynamodb/iam-policy`. */
export interface TablePolicies {
  table_arn: string
  /** For whoever creates and resizes the table. */
  bootstrap: PolicyDocument
  /** For every node at run time. */
  steady_state: PolicyDocument
}

/** `GET sys/seal/awskms/policy`: the key policy only when key users were named. */
export interface KmsPolicies {
  key_arn: string
  iam_policy: PolicyDocument
  key_policy: PolicyDocument | null
}

/** `POST sys/setup/iam`: what the chosen storage and seal need, before anything exists. */
export interface SetupIamReply {
  dynamodb: TablePolicies | null
  terraform: string | null
  kms: KmsPolicies | null
}

/** `PUT sys/init`: shares are shown once; the recovery ones only with auto-unseal. */
export interface InitReply {
  keys: string[]
  keys_base64: string[]
  recovery_keys?: string[]
  recovery_keys_base64?: string[]
  root_token: string
}

/** `GET sys/leader`. */
export interface LeaderStatus {
  ha_enabled: boolean
  is_self: boolean
  active_time: string
  leader_address: string
  leader_cluster_address: string
}

/** Requests the node has sent to the table since its storage opened. */
export interface ObservedWorkload {
  reads: number
  writes: number
  /** How long the node has been counting. */
  seconds: number
}

/** `GET sys/storage/dynamodb` (inside `data`). */
export interface StorageDescription {
  table: TableFacts
  config: {
    table: string
    region: string
    endpoint: string | null
    billing_mode: BillingMode
    read_capacity: number
    write_capacity: number
    max_parallel: number
    ha_enabled: boolean
    dynamodb_allow_updates: boolean
  }
  workload?: ObservedWorkload
}

/** `POST sys/storage/dynamodb`. */
export interface TableChange {
  billing_mode: BillingMode
  read_capacity?: number
  write_capacity?: number
}
