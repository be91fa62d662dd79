import { httpTransport, ipcTransport } from '../api/transports'
import type { Transport } from '../api/types'

/** Whether the page runs inside the Tauri desktop shell. */
export function isDesktop(scope: object = globalThis): boolean {
  return '__TAURI_INTERNALS__' in scope
}

/** The transport for where the UI is running. */
export function defaultTransport(scope: object = globalThis): Transport {
  return isDesktop(scope) ? ipcTransport : httpTransport('')
}
