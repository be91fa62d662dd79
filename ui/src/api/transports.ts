import { invoke } from '@tauri-apps/api/core'
import type { ApiReply, Transport } from './types'

/**
 * The desktop shell rejects with a tagged `{kind, message}` (for example when the core could
 * not start); turn that into an Error whose message is what the user should read.
 */
export function ipcError(rejection: unknown): Error {
  if (rejection instanceof Error) return rejection
  if (rejection !== null && typeof rejection === 'object' && 'message' in rejection) {
    const { kind, message } = rejection as { kind?: unknown; message: unknown }
    const error = new Error(String(message))
    error.name = typeof kind === 'string' ? kind : 'IpcError'
    return error
  }
  return new Error(String(rejection))
}

/** In the desktop app: the request goes to the core in-process, no TCP port involved. */
export const ipcTransport: Transport = (request) =>
  invoke<ApiReply>('vault_request', {
    method: request.method,
    path: request.path,
    token: request.token ?? null,
    body: request.body ?? null,
  }).catch((rejection: unknown) => {
    throw ipcError(rejection)
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
