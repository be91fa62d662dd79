import { invoke } from '@tauri-apps/api/core'
import type { ApiReply, Transport } from './types'

/** In the desktop app: the request goes to the core in-process, no TCP port involved. */
export const ipcTransport: Transport = (request) =>
  invoke<ApiReply>('vault_request', {
    method: request.method,
    path: request.path,
    token: request.token ?? null,
    body: request.body ?? null,
  })

/** In a browser (served by `strongroom server`): plain HTTP to the same API. */
export function httpTransport(baseUrl: string, fetchFn: typeof fetch = fetch): Transport {
  return async ({ method, path, token, body }) => {
    const headers: Record<string, string> = {}
    if (token) headers['X-Vault-Token'] = token
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const response = await fetchFn(`${baseUrl}/v1/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) }
  }
}
