import { invoke } from '@tauri-apps/api/core'
import { ipcError } from '../api/transports'
import type { ListenerStatus, Platform } from './types'

/** Calls a shell command, turning its tagged rejections into readable Errors. */
function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  return invoke<T>(command, args).catch((rejection: unknown) => {
    throw ipcError(rejection)
  })
}

/** The desktop shell: secrets in the OS keychain, native clipboard and save dialog. */
export const desktopPlatform: Platform = {
  desktop: true,
  getToken: () => call<string | null>('get_token'),
  setToken: (token) => call<void>('set_token', { token }),
  deleteToken: () => call<void>('delete_token'),
  getShares: () => call<string[] | null>('get_shares'),
  setShares: (shares) => call<void>('set_shares', { shares }),
  deleteShares: () => call<void>('delete_shares'),
  copy: (text, clearAfterMs) => call<void>('copy_text', { text, clearAfterMs }),
  saveTextFile: (suggestedName, contents) =>
    call<string | null>('save_text_file', { suggestedName, contents }),
  notify: (title, body) => call<void>('notify', { title, body }),
  // The desktop's notification service needs no permission.
  allowNotifications: async () => undefined,
  listener: () => call<ListenerStatus>('listener_status'),
  setListener: (enabled, address) => call<ListenerStatus>('set_listener', { enabled, address }),
}
