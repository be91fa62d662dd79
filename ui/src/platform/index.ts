import { httpTransport, ipcTransport } from '../api/transports'
import type { Transport } from '../api/types'
import { browserPlatform, downloadWithLink } from './browser'
import { desktopPlatform } from './desktop'
import type { Platform } from './types'

export type { ListenerStatus, Platform } from './types'

/** Whether the page runs inside the Tauri desktop shell. */
export function isDesktop(scope: object = globalThis): boolean {
  return '__TAURI_INTERNALS__' in scope
}

/** The transport for where the UI is running. */
export function defaultTransport(scope: object = globalThis): Transport {
  return isDesktop(scope) ? ipcTransport : httpTransport('')
}

/** The platform for where the UI is running. */
export function currentPlatform(): Platform {
  if (isDesktop()) return desktopPlatform
  return browserPlatform({
    session: window.sessionStorage,
    clipboard: navigator.clipboard,
    download: downloadWithLink,
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    ...('Notification' in window && {
      notifications: {
        get permission() {
          return Notification.permission
        },
        requestPermission: () => Notification.requestPermission(),
        show: (title: string, body: string) => void new Notification(title, { body }),
      },
    }),
  })
}
