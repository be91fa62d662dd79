import { VaultClient } from './client'
import type { ApiReply } from './types'

/** One request as the transport saw it. */
export interface SeenRequest {
  method: string
  path: string
  body?: unknown
}

/**
 * A client for tests whose transport records each request and answers with `replies` in turn,
 * the last one again for any further request (204 with no body when none is given).
 */
export function recordingClient(...replies: ApiReply[]): { client: VaultClient; seen: SeenRequest[] } {
  const seen: SeenRequest[] = []
  const client = new VaultClient(async ({ method, path, body }) => {
    seen.push({ method, path, body })
    return (replies.length > 1 ? replies.shift() : replies[0]) ?? { status: 204, body: null }
  }, 'hvs.t')
  return { client, seen }
}
