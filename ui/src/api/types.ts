/** `GET /v1/sys/seal-status`, as the core answers it (Vault's shape). */
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
